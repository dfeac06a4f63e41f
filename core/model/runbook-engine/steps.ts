import type { ActivityOptions } from '@temporalio/common';
import type { StepRecord } from '../execution';
import type { StepOptions } from '../runbook';
import { toMs } from './durations';

/**
 * Step ids: `<name>` on a name's first occurrence, then `<name>#2`, …; an explicit id
 * wins; a step run by a compensation is `undo:<undone step>:<id>`.
 */
export class StepIds {
  private readonly occurrences = new Map<string, number>();

  next(name: string, explicit?: string, compensatingFor?: string): string {
    const occurrence = (this.occurrences.get(name) ?? 0) + 1;
    this.occurrences.set(name, occurrence);
    const base = explicit ?? (occurrence === 1 ? name : `${name}#${occurrence}`);
    return compensatingFor ? `undo:${compensatingFor}:${base}` : base;
  }
}

/** The record of a step as it starts (planned, in a dry run). */
export function startStep(id: string, name: string, args: unknown, dryRun: boolean, at: string, compensatingFor?: string): StepRecord {
  return {
    id,
    name,
    args,
    status: dryRun ? 'planned' : 'running',
    startedAt: at,
    ...(compensatingFor ? { compensates: compensatingFor } : {}),
  };
}

/** How a step's activity is scheduled: the runbook's options over the defaults (longer for long operations). */
export function stepActivityOptions(id: string, long: boolean, options: StepOptions<unknown>): ActivityOptions {
  const retry = options.retry ?? {};
  return {
    activityId: id,
    startToCloseTimeout: options.timeout !== undefined ? toMs(options.timeout) : long ? '15 minutes' : '30 seconds',
    heartbeatTimeout: long ? '1 minute' : undefined,
    retry: {
      // Eight attempts, 1 s doubling to 30 s apart: a vendor out or throttling for a minute
      // and a half is ridden out (five gave up within 15 s, failing a kickoff on a short Jira outage).
      maximumAttempts: retry.maximumAttempts ?? 8,
      initialInterval: retry.initialInterval !== undefined ? toMs(retry.initialInterval) : '1 second',
      maximumInterval: retry.maximumInterval !== undefined ? toMs(retry.maximumInterval) : '30 seconds',
      backoffCoefficient: retry.backoffCoefficient ?? 2,
    },
  };
}

/** Compensations of completed steps, undone last first. */
export function compensationOrder<T>(compensations: readonly T[]): T[] {
  return [...compensations].reverse();
}
