import type { z } from 'zod';
import { PageInputSchema, type PageResult } from '../../core/capabilities/paging';
import { stepActivity } from '../step-input';

export type PageCommand = z.output<typeof PageInputSchema>;

/** Paging. The vendor keeps one page per dedup key, so a repeat never opens a second. */
export interface PagingPort {
  page(command: PageCommand): Promise<PageResult>;
}

export function createPagingActivities(port: PagingPort) {
  return {
    pagingPage: stepActivity('pagingPage', PageInputSchema, (c) => port.page(c)),
  };
}
