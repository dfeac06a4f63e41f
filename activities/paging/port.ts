import type { z } from 'zod';
import { PageInputSchema, type PageResult } from '../../core/capabilities/paging';
import { stepActivity } from '../step-input';
import { LocalPaging } from './local';

export type PageCommand = z.output<typeof PageInputSchema>;

/** Paging. The vendor keeps one page per dedup key, so a repeat never opens a second. */
export interface PagingPort {
  page(command: PageCommand): Promise<PageResult>;
}

/**
 * The paging activity. A page marked `fallback` goes through the built-in local pager
 * whatever provider is configured: the way an incident still pages someone when the
 * provider refuses for good.
 */
export function createPagingActivities(port: PagingPort, fallback: PagingPort = new LocalPaging()) {
  return {
    pagingPage: stepActivity('pagingPage', PageInputSchema, (c) => (c.fallback ? fallback.page(c) : port.page(c))),
  };
}
