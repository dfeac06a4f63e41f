import type { z } from 'zod';
import { type PageInput, PageInputSchema, type PageResult } from '../../core/capabilities/paging';
import { parseStepInput } from '../step-input';

export type PageCommand = z.output<typeof PageInputSchema>;

/** Paging. The vendor keeps one page per dedup key, so a repeat never opens a second. */
export interface PagingPort {
  page(command: PageCommand): Promise<PageResult>;
}

export function createPagingActivities(port: PagingPort) {
  return {
    async pagingPage(input: PageInput): Promise<PageResult> {
      return port.page(parseStepInput(PageInputSchema, input, 'pagingPage'));
    },
  };
}
