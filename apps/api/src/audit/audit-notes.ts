/**
 * What a handler knows of its request that the audit middleware cannot see from outside:
 * the Slack user and command behind Slack's one route, a refusal answered with 200. The
 * middleware opens a note for each request; {@link noteForAudit} adds to it from anywhere
 * in that request's work, with no request object to thread through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditVia } from '../../../../record/audit';
import type { Principal } from '../auth/principal';

export interface AuditNote {
  principal?: Principal;
  via?: AuditVia;
  action?: string;
  target?: string;
  /** The request was refused, though it answers 2xx (Slack shows refusals as messages). */
  refused?: boolean;
  details?: Record<string, string>;
}

const notes = new AsyncLocalStorage<AuditNote>();

/** Runs `work` with `note` as its request's audit note. */
export function withAuditNote<T>(note: AuditNote, work: () => T): T {
  return notes.run(note, work);
}

/** Adds to the audit entry of the request under way; does nothing outside a request. */
export function noteForAudit(note: AuditNote): void {
  const current = notes.getStore();
  if (!current) return;
  const details = note.details ? { ...current.details, ...note.details } : current.details;
  Object.assign(current, note, details ? { details } : {});
}

/**
 * Slack's request: the Slack user, the principal they map to (none: refused), and what they
 * asked (`/incident ack`, `button incident.acknowledge`) and of what.
 */
export function noteSlackRequest(slackUser: string, principal: Principal | undefined, action: string, target?: string): void {
  noteForAudit({ via: 'slack', principal, action, target, refused: principal === undefined, details: { slackUser } });
}

/** The request was refused though its answer is 2xx. */
export function noteRefused(): void {
  noteForAudit({ refused: true });
}
