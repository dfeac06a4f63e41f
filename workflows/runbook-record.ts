import { CancellationScope, condition, log, workflowInfo } from '@temporalio/workflow';
import type { RunbookRun } from '../core/model/runbook-engine/run';
import { messageOf } from '../core/model/runbook-engine/durations';
import { executionRecordInput } from '../record/projection';
import { recordExecution, RecordWriter } from './record-writer';

/**
 * A run's projection into the lasting record: written now, then whenever its status changes
 * (waiting for approval, compensating, its end), in the background (record-writer.ts).
 * `flush` writes the final state and waits for it: the run awaits it before it ends.
 */
export function recordExecutionChanges(run: RunbookRun): { flush(): Promise<void> } {
  const { execution } = run;
  const writer = new RecordWriter(async () => {
    try {
      // The history's length grows with every change: the record keeps the newest write.
      await recordExecution(executionRecordInput(execution, workflowInfo().historyLength));
    } catch (error) {
      // Only a refusal gets here (outages are retried until they end); the next change writes again.
      log.warn('The record refused a runbook execution write', { executionId: run.executionId, error: messageOf(error) });
    }
  });
  let status = execution.status;
  writer.touch();
  // Not cancellable: a cancelled run's compensations and end belong in the record too.
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => execution.status !== status);
      status = execution.status;
      writer.touch();
    }
  });
  return {
    flush: async () => {
      if (execution.status !== status) {
        status = execution.status;
        writer.touch();
      }
      await writer.settled();
    },
  };
}
