import { ApplicationFailure } from '@temporalio/common';
import { ExecutionFailure } from '../execution';
import type { Duration } from '../runbook';

/** A runbook's duration in milliseconds; a string that is not one fails the run. */
export function toMs(duration: Duration): number {
  if (typeof duration === 'number') return duration;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?)\s*$/i.exec(duration);
  if (!match) throw ApplicationFailure.nonRetryable(`cannot read duration "${duration}"`, ExecutionFailure.Failed);
  const unit = match[2].toLowerCase();
  const scale = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return Number(match[1]) * scale;
}

/** The innermost message of an error (activity failures wrap the adapter's). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return messageOf(error.cause);
  return error instanceof Error ? error.message : String(error);
}
