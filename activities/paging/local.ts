import type { PageResult } from '../../core/capabilities/paging';
import type { PageCommand, PagingPort } from './port';

/**
 * The built-in paging: the notification is the calling workflow's entry on the incident
 * timeline. It has no length limits and never refuses, which makes it the fallback when the
 * configured provider refuses a page for good.
 */
export class LocalPaging implements PagingPort {
  async page({ dedupKey }: PageCommand): Promise<PageResult> {
    return { dedupKey, delivered: true, provider: 'local' };
  }
}
