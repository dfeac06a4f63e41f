/**
 * An API process's lease on the alert queues it delivers itself (see
 * `workflows/alert-lease.ts`): while the process beats, its queues wait; once it falls
 * silent, its lease tells them to deliver their alerts.
 */
import { defineSignal } from '@temporalio/workflow';

/**
 * What a beat declares: the queues the process wrote and has not yet seen delivered
 * (`queues`), plus the numbers it has reserved for queues it may write before its next beat
 * (`unusedFrom`..`through`). Each beat replaces the previous one whole.
 */
export interface AlertLeaseBeat {
  queues: number[];
  unusedFrom: number;
  through: number;
}

export interface AlertLeaseInput {
  /** Silence after which the process counts as gone. */
  silenceMs: number;
  /** The last beat, carried across continue-as-new. */
  beat?: AlertLeaseBeat;
}

/** How many queues the lease told to deliver their alerts (numbers never used included). */
export interface AlertLeaseResult {
  told: number;
}

/** The id of the `seq`th alert queue a lease covers. */
export function alertQueueId(leaseId: string, seq: number): string {
  return `${leaseId}-q${seq}`;
}

/** Every queue number a beat covers. */
export function leasedQueues(beat: AlertLeaseBeat): number[] {
  const reserved = Array.from({ length: Math.max(0, beat.through - beat.unusedFrom + 1) }, (_, index) => beat.unusedFrom + index);
  return [...new Set([...beat.queues, ...reserved])];
}

/** The API process is alive; replaces what its lease covers. */
export const alertLeaseBeatSignal = defineSignal<[AlertLeaseBeat]>('alertLeaseBeat');

/** A leased queue's API process is gone: the queue delivers its alerts now. */
export const alertQueueRecoverSignal = defineSignal('alertQueueRecover');
