import { CancellationScope, condition } from '@temporalio/workflow';
import type { RunbookRun } from '../core/model/runbook-engine/run';
import { executionChanges, executionMark, executionStarted, newExecutionView } from '../core/model/webhook-events';
import { WebhookPublisher } from './webhook-publisher';

/**
 * A run's webhook events: `execution.started` now, then, whenever the execution changes,
 * the steps completed, approvals requested and decided, and the end. `flush` publishes what
 * is left and waits for every batch: the run awaits it before it ends.
 */
export function publishExecutionEvents(run: RunbookRun): { flush(): Promise<void> } {
  const { execution } = run;
  const view = newExecutionView(execution);
  const publisher = new WebhookPublisher(run.executionId, 0, (events, reason) =>
    execution.log.push({ at: new Date().toISOString(), message: `webhook events not published (${events.map((event) => event.type).join(', ')}): ${reason}` }),
  );
  publisher.publish([executionStarted(execution)]);
  let mark = executionMark(execution);
  const look = () => {
    mark = executionMark(execution);
    publisher.publish(executionChanges(view, execution));
  };
  // Not cancellable: a cancelled run's compensations and end are events too.
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => executionMark(execution) !== mark);
      look();
    }
  });
  return {
    flush: async () => {
      look();
      await publisher.flushed();
    },
  };
}
