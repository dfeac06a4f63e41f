import type { PageResult } from '../../core/schemas/capabilities/paging';
import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';

/**
 * The built-in paging: the notification is the calling workflow's entry on the incident
 * timeline. It has no length limits and never refuses, which makes it the fallback when the
 * configured provider refuses a page for good.
 */
export class LocalPaging implements CapabilityPort<'paging'> {
  async page({ dedupKey }: OperationCommand<'paging', 'page'>): Promise<PageResult> {
    return { dedupKey, delivered: true, provider: 'local' };
  }
}
