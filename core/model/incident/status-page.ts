/**
 * The incident's one status-page incident: whoever opens it (a person's status update, a
 * runbook), the incident records it, later updates go to it, and resolving the incident
 * resolves it once, with a final message. Pure.
 */
import type { IncidentSnapshot, RecordEventInput } from '../incident';
import type { Effect } from './effects';

/** What the public page says when the incident resolves and nobody said so already. */
export const FINAL_STATUS_MESSAGE = 'This incident has been resolved. Thank you for your patience.';

/** A runbook opened or updated a status-page incident: the incident follows it. */
export function followStatusPage(incident: IncidentSnapshot, news: NonNullable<RecordEventInput['statusPage']>): void {
  const current = incident.statusPage;
  if (current && current.statusIncidentId !== news.statusIncidentId && current.status !== 'resolved') return;
  incident.statusPage = {
    statusIncidentId: news.statusIncidentId,
    ...((news.url ?? (current?.statusIncidentId === news.statusIncidentId ? current.url : undefined)) ? { url: news.url ?? current?.url } : {}),
    status: news.status,
  };
}

/** On resolving: the status-page incident is resolved too, unless it is already. */
export function resolveStatusPage(incident: IncidentSnapshot): Effect[] {
  const page = incident.statusPage;
  return page && page.status !== 'resolved' ? [{ kind: 'resolve-status-page' }] : [];
}
