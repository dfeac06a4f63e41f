/**
 * The projection into the lasting record: each write an idempotent upsert carrying the
 * workflow's own sequence numbers (record/writes.ts), so a retried or replayed activity
 * changes nothing twice. A record that cannot be reached fails the attempt, which Temporal
 * retries; a write the database refuses outright fails for good (`RecordWriteRefused`).
 */
import { ApplicationFailure } from '@temporalio/common';
import { isRecordUnavailable } from '../../record/errors';
import type { RecordActivities } from '../../record/projection';
import type { RecordStore } from '../../record/store';
import type { RecordedMilestones } from '../../record/writes';

export const RecordFailure = {
  /** The database refused the write itself (not a connection or timeout failure): retrying cannot help. */
  Refused: 'RecordWriteRefused',
} as const;

export type { RecordActivities };

/**
 * Told of each milestone (acknowledged, mitigated, resolved) once, by the write that
 * recorded it first, whatever path reached it: where the worker feeds its response-time
 * histograms, so they count what the reports count.
 */
export type MilestoneObserver = (reached: RecordedMilestones) => void;

// SQLSTATE classes of a statement the database refuses for what it holds: data (22),
// integrity (23), syntax or access (42). Anything else may pass on a later attempt.
const REFUSED = /^(22|23|42)/;

async function write<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!isRecordUnavailable(error) && typeof code === 'string' && REFUSED.test(code)) {
      throw ApplicationFailure.nonRetryable(`the record refused the write: ${(error as Error).message}`, RecordFailure.Refused);
    }
    throw error;
  }
}

/**
 * The record's activities on `store`; without one (no `DATABASE_URL`), writes do nothing, so
 * workflows call them the same way whether or not a record is kept.
 */
export function createRecordActivities(store: RecordStore | undefined, onMilestones?: MilestoneObserver): RecordActivities {
  if (!store) return { recordIncident: () => Promise.resolve(), recordExecution: () => Promise.resolve() };
  return {
    async recordIncident(input) {
      const recorded = await write(() => store.recordIncident(input));
      if (recorded.newlyReached.length > 0) onMilestones?.(recorded);
    },
    recordExecution: (input) => write(() => store.recordExecution(input)),
  };
}
