/**
 * What the incident's rules ask of the world outside its snapshot. The rules (pure, in this
 * folder) change the snapshot and return effects in order; the workflow carries them out in
 * that order, so a timeline entry recorded before a page is on the timeline when the page's
 * key is made.
 */
import type { IncidentAction } from '../../schemas/incident-actions';
import type { TimelineEntry } from '../incident-model';

export type PostStatusUpdate = Extract<IncidentAction, { action: 'post-status-update' }>;

export type Effect =
  /** A line on the timeline, at `at` or now. The workflow holds the timeline as a sized window. */
  | { kind: 'record'; entry: Omit<TimelineEntry, 'at'>; at?: string }
  /** Tell the pager the incident was acknowledged or resolved (only once something was paged). */
  | { kind: 'notify-pager'; action: 'acknowledge' | 'resolve' }
  /** The ladder is paging: move on to the next level without waiting for the timeout. */
  | { kind: 'escalate-now' }
  /** The incident resolved: resolve its status-page incident too, with a final message. */
  | { kind: 'resolve-status-page' }
  /** Open or update the incident on the public status page. */
  | { kind: 'post-status-update'; update: PostStatusUpdate; actor: string };

/** A timeline entry written by Firebreak itself. */
export const recordBy = (kind: TimelineEntry['kind'], summary: string, details?: Record<string, unknown>): Effect => ({
  kind: 'record',
  entry: { kind, actor: 'firebreak', summary, ...(details ? { details } : {}) },
});
