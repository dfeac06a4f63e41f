/**
 * The bounds of Firebreak's own status page, and the text fitting that keeps every value
 * within them. Free of zod: the status page workflow imports this.
 *
 * The page's whole state travels through continue-as-new as one payload, and every read is a
 * query answer; Temporal refuses payloads over 2 MB, and a refused continue-as-new ends the
 * page. Each bound below keeps the state well under that, whatever is posted.
 */
import { cleanText, truncateText } from './text';

export const STATUS_PAGE_BOUNDS = {
  /** Status incident titles, in UTF-8 bytes; longer ones are cut with an ellipsis. */
  titleBytes: 200,
  /** Update messages, in UTF-8 bytes; longer ones are cut with an ellipsis. */
  messageBytes: 2_000,
  /** Component names, in characters (names must match the page's components, so they are refused, not cut). */
  componentNameLength: 100,
  /** Components one command may set. */
  componentsPerCommand: 20,
  /** Distinct components the page knows; a command naming a new one past this is refused. */
  components: 100,
  /** Unresolved status incidents at once; opening another is refused until one resolves. */
  activeIncidents: 20,
  /** Updates kept per unresolved status incident, newest first; older ones are counted. */
  updatesPerActiveIncident: 20,
  /** Updates kept per resolved status incident. */
  updatesPerResolvedIncident: 5,
  /** Resolved status incidents kept for the page's history. */
  resolvedIncidents: 20,
  /** Idempotency keys remembered: far more than any step retries within. */
  appliedKeys: 2_000,
  /**
   * The state's serialised size, in UTF-8 bytes, past which older updates are dropped (resolved
   * incidents first) until it fits. The caps above keep it under this in practice; this is the
   * backstop that keeps continue-as-new far below Temporal's 2 MB payload limit.
   */
  stateBytes: 1_000_000,
  /** History size, in bytes, after which the page continues as new (Temporal's own limit is 50 MB). */
  historyBytes: 10_000_000,
} as const;

/**
 * `text` with control and bidi-override characters replaced (they hide or reorder what a
 * reader sees, and each control costs six bytes once JSON-escaped), cut to at most
 * `maxBytes` UTF-8 bytes with a trailing ellipsis when it was longer. Deterministic, so the
 * workflow and the activities fit the same text the same way.
 */
export function fitStatusText(text: string, maxBytes: number): string {
  return truncateText(cleanText(text), maxBytes).trim();
}

/**
 * The public title of a status incident when its poster gives none: written for customers
 * from the affected service, never from the incident's internal title or alert text.
 */
export function publicStatusTitle(service?: string): string {
  return service ? `Degraded service: ${service}` : 'Service disruption';
}

/** True when `title` keeps printable text once fitted: a public title of blanks or controls shows nothing. */
export function hasPublicText(title: string): boolean {
  return fitStatusText(title, STATUS_PAGE_BOUNDS.titleBytes).length > 0;
}
