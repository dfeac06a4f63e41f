import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { capabilityActivities } from '../step-input';
import { LocalPaging } from './local';

export type PageCommand = OperationCommand<'paging', 'page'>;

/** Paging. The vendor keeps one page per dedup key, so a repeat never opens a second. */
export type PagingPort = CapabilityPort<'paging'>;

/**
 * The paging activity. A page marked `fallback` goes through the built-in local pager
 * whatever provider is configured: the way an incident still pages someone when the
 * provider refuses for good.
 */
export function createPagingActivities(port: PagingPort, fallback: PagingPort = new LocalPaging()) {
  return capabilityActivities('paging', { page: (c) => (c.fallback ? fallback.page(c) : port.page(c)) });
}
