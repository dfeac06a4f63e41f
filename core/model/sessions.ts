/**
 * Ended console sessions, durably: one entity workflow per deployment (task queue) holds the
 * ids of sessions signed out before they expired (`workflows/sessions.ts`), so that every API
 * replica refuses their cookie. Its messages, bounds and rules are defined here once, for the
 * workflow and the API.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** The entity workflow's type name. */
export const SESSIONS_WORKFLOW_TYPE = 'sessionsWorkflow';

/** The id of the sessions workflow of the deployment on `taskQueue`. */
export const sessionsWorkflowId = (taskQueue: string) => `sessions:${taskQueue}`;

const HOUR_MS = 60 * 60 * 1000;

/** What the sessions workflow holds. */
export const SESSION_LIMITS = {
  /**
   * Ended sessions held at once. Past it, the workflow ends every session issued until then
   * instead ({@link EndedSessions.endedBefore}): everyone signs in again, and the state stays bounded.
   */
  maxEnded: 10_000,
  /** The longest a session lives (`SESSION_TTL_HOURS` at most 168). */
  maxTtlMs: 168 * HOUR_MS,
  /** Session ids are this many characters at most. */
  idMaxChars: 64,
  /** The workflow continues as new at this many history events (or when Temporal suggests it). */
  historyEvents: 2_000,
} as const;

/** A session signed out before it expired; dropped once it would have expired anyway. */
export interface EndedSession {
  id: string;
  /** When the session's cookie expires (epoch ms). */
  expiresAt: number;
}

/** The sessions that no longer work. */
export interface EndedSessions {
  ended: EndedSession[];
  /** Every session issued before this moment (epoch ms) has ended too; set when the list overflowed. */
  endedBefore?: number;
}

export interface EndSessionInput extends EndedSession {
  /** When the session was issued (epoch ms). */
  issuedAt: number;
}

export interface SessionsWorkflowInput {
  /** Carried across continue-as-new; absent on the first run. */
  state?: EndedSessions;
  /** @default SESSION_LIMITS.historyEvents */
  historyLimit?: number;
  /** @default SESSION_LIMITS.maxEnded */
  maxEnded?: number;
}

/**
 * The sessions workflow's signature, for code that starts it by its type name
 * ({@link SESSIONS_WORKFLOW_TYPE}) without importing workflow code.
 */
export type SessionsWorkflow = (input: SessionsWorkflowInput) => Promise<never>;

/** The failure type of a refused end: the input is not a session this workflow holds. */
export const SessionFailure = { Invalid: 'SessionEndInvalid' } as const;

/** Ends a session; a repeated end of the same id changes nothing. */
export const endSessionUpdate = defineUpdate<void, [EndSessionInput]>('endSession');

/** The sessions ended and not yet expired. */
export const endedSessionsQuery = defineQuery<EndedSessions>('endedSessions');

/** Why `input` is not a session end the workflow takes at `nowMs`, or undefined. */
export function endSessionIssue(input: EndSessionInput | undefined, nowMs: number): string | undefined {
  if (typeof input !== 'object' || input === null) return 'a session end is an object';
  const { id, expiresAt, issuedAt } = input;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id) || id.length > SESSION_LIMITS.idMaxChars) {
    return `id must be 1 to ${SESSION_LIMITS.idMaxChars} letters, digits, '_' or '-'`;
  }
  if (!Number.isSafeInteger(expiresAt) || !Number.isSafeInteger(issuedAt)) return 'expiresAt and issuedAt must be epoch milliseconds';
  if (expiresAt <= issuedAt || expiresAt - issuedAt > SESSION_LIMITS.maxTtlMs) return 'expiresAt must be after issuedAt, by at most 168 hours';
  if (expiresAt > nowMs + SESSION_LIMITS.maxTtlMs) return 'expiresAt is further ahead than any session lives';
  return undefined;
}

/** `state` without the sessions that have expired by `nowMs`. */
export function unexpired(state: EndedSessions, nowMs: number): EndedSessions {
  const ended = state.ended.filter((session) => session.expiresAt > nowMs);
  // Past the longest session, every session issued before `endedBefore` has expired anyway.
  const endedBefore = state.endedBefore !== undefined && state.endedBefore + SESSION_LIMITS.maxTtlMs > nowMs ? state.endedBefore : undefined;
  return endedBefore === undefined ? { ended } : { ended, endedBefore };
}
