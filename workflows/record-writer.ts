/**
 * How a workflow writes to the lasting record: in the background (nothing a person waits
 * for waits on it), at most one write in flight. A change while one is in flight asks for
 * one more, sent when it settles and built from the state as it is then, so a storm of
 * changes costs two writes, not one per change. Each write is an idempotent upsert keyed by
 * the workflow's own numbers (record/projection.ts), so a retried or repeated write is harmless.
 */
import { CancellationScope, proxyActivities } from '@temporalio/workflow';
import type { RecordActivities } from '../record/projection';

/**
 * A write retries until the record is back, however long that takes: an outage delays the
 * record, never loses it. Only a write the database refuses (`RecordWriteRefused`, thrown
 * non-retryable by the activity) reaches the workflow as a failure.
 */
export const { recordIncident, recordExecution } = proxyActivities<RecordActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export class RecordWriter {
  private chain: Promise<void> = Promise.resolve();
  private inFlight = false;
  private again = false;

  constructor(
    /** One write of the state as it is now; settles (never throws) once it is written or given up. */
    private readonly write: () => Promise<void>,
    /** The first write waits for this (what must not wait behind a write). */
    private readonly first: Promise<unknown> = Promise.resolve(),
  ) {}

  /** Asks for a write; while one is in flight, for one more after it. */
  touch(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    // Not cancellable: a cancelled run's last state belongs in the record too.
    this.chain = CancellationScope.nonCancellable(async () => {
      try {
        await this.first;
        do {
          this.again = false;
          await this.write();
        } while (this.again);
      } finally {
        this.inFlight = false;
      }
    });
  }

  /** Resolves once every write asked for so far has settled. */
  settled(): Promise<void> {
    return this.chain;
  }
}
