/**
 * Schedule overrides, durably: one entity workflow per schedule holds the overrides people
 * add through the API (`workflows/schedule-overrides.ts`). Its messages, bounds and rules
 * are defined here once, for the workflow, the API and the worker's on-call resolution.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Override } from './oncall/types';
import type { IssueLike } from './validation-issues';

/** The entity workflow's type name. */
export const SCHEDULE_OVERRIDES_WORKFLOW_TYPE = 'scheduleOverridesWorkflow';

/**
 * The id of schedule `scheduleId`'s overrides workflow for the deployment on `taskQueue`
 * (like the status page's: two deployments sharing a namespace keep their own overrides).
 */
export const scheduleOverridesWorkflowId = (taskQueue: string, scheduleId: string) => `schedule-overrides:${taskQueue}:${scheduleId}`;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** What one schedule's overrides may hold, and for how long. */
export const SCHEDULE_OVERRIDE_LIMITS = {
  /** Overrides held at once, ended ones included; past it an add is refused (409). */
  maxHeld: 500,
  /** The longest override: `to - from`. */
  maxDurationMs: 31 * DAY_MS,
  /** An override is dropped this long after it ended. */
  keepEndedMs: 7 * DAY_MS,
  /** How far in the past the API lets `from` start: a client's clock, or "from now" sent a moment ago. */
  fromPastToleranceMs: MINUTE_MS,
  /** `reason`, in UTF-8 bytes. */
  reasonMaxBytes: 280,
  /** The workflow continues as new at this many history events (or when Temporal suggests it). */
  historyEvents: 2_000,
} as const;

export interface AddOverrideInput {
  /** Its `id` (a uuid the API makes) is also the update id: a retried add is applied once. */
  override: Override;
}

export interface RemoveOverrideInput {
  overrideId: string;
  /** Who removed it: the API key's name. */
  by: string;
}

export interface ScheduleOverridesWorkflowInput {
  scheduleId: string;
  /** Carried across continue-as-new; absent on the first run. */
  overrides?: Override[];
  /** @default SCHEDULE_OVERRIDE_LIMITS.historyEvents */
  historyLimit?: number;
}

/**
 * The overrides workflow's signature, for code that starts it by its type name
 * ({@link SCHEDULE_OVERRIDES_WORKFLOW_TYPE}) without importing workflow code.
 */
export type ScheduleOverridesWorkflow = (input: ScheduleOverridesWorkflowInput) => Promise<never>;

/** Failure types of refused updates, carried as the `ApplicationFailure` type. */
export const OverrideFailure = {
  /** Breaks a rule of {@link overrideIssues}; the failure's first detail is the {@link OverrideIssue}. */
  Invalid: 'OverrideInvalid',
  /** The schedule already holds {@link SCHEDULE_OVERRIDE_LIMITS.maxHeld} overrides. */
  Full: 'OverridesFull',
  /** No override of that id. */
  NotFound: 'OverrideNotFound',
} as const;
export type OverrideFailure = (typeof OverrideFailure)[keyof typeof OverrideFailure];

/** Adds an override; answers the override held (the first one, for a repeated id). */
export const addOverrideUpdate = defineUpdate<Override, [AddOverrideInput]>('addOverride');

/** Removes an override; answers the removed override. Refused with `OverrideNotFound` for an unknown id. */
export const removeOverrideUpdate = defineUpdate<Override, [RemoveOverrideInput]>('removeOverride');

/** The overrides held, by `from` then id. */
export const overridesQuery = defineQuery<Override[]>('overrides');

/** One broken rule of an override, naming its field. */
export interface OverrideIssue extends IssueLike {
  readonly path: readonly ['from' | 'to'];
  readonly rule: string;
}

/**
 * Why the times of an override may not be added at `nowMs`; empty when they may. `to` must
 * be in the future, after `from`, and at most 31 days after it. With `earliestFromMs`, `from`
 * may not start before it (the API passes now minus a minute; the workflow, which runs a
 * moment after the API checked, does not re-check it).
 */
export function overrideIssues(times: { from: string; to: string }, nowMs: number, earliestFromMs?: number): OverrideIssue[] {
  const issue = (path: 'from' | 'to', rule: string, message: string): OverrideIssue => ({ path: [path], rule, message });
  const from = Date.parse(times.from);
  const to = Date.parse(times.to);
  const issues: OverrideIssue[] = [];
  if (Number.isNaN(from)) issues.push(issue('from', 'invalid_format', 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T09:00:00Z'));
  if (Number.isNaN(to)) issues.push(issue('to', 'invalid_format', 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T09:00:00Z'));
  if (issues.length > 0) return issues;
  if (earliestFromMs !== undefined && from < earliestFromMs) {
    issues.push(issue('from', 'in_past', `may start at most ${SCHEDULE_OVERRIDE_LIMITS.fromPastToleranceMs / MINUTE_MS} minute in the past`));
  }
  if (to <= nowMs) issues.push(issue('to', 'in_past', 'must be in the future: an override that has ended changes nothing'));
  else if (to <= from) issues.push(issue('to', 'not_after_from', 'must be after from'));
  else if (to - from > SCHEDULE_OVERRIDE_LIMITS.maxDurationMs) {
    issues.push(issue('to', 'too_long', `may be at most ${SCHEDULE_OVERRIDE_LIMITS.maxDurationMs / DAY_MS} days after from`));
  }
  return issues;
}

/** `overrides` without those that ended more than {@link SCHEDULE_OVERRIDE_LIMITS.keepEndedMs} before `nowMs`. */
export function keptOverrides(overrides: readonly Override[], nowMs: number): Override[] {
  return overrides.filter((override) => Date.parse(override.to) > nowMs - SCHEDULE_OVERRIDE_LIMITS.keepEndedMs);
}
