import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlatformActivities } from '../activities/platform';
import type { AlertQueueInput, AlertQueueResult } from '../core/incident';
import { alertQueueDeliveredSignal } from '../core/messages';

// Acknowledged alerts are never given up on: retried until Temporal takes them.
const { deliverQueuedAlerts } = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Holds alerts the API acknowledged during a storm before their incidents recorded them.
 * Its start is the durable write that lets the API answer 202. The API then delivers the
 * alerts and signals; if the signal never comes (the API process died), the queue
 * delivers them after `recoverAfterMs`; a queue the API handed off (`recoverAfterMs` 0)
 * delivers them at once.
 */
export async function alertQueueWorkflow({ alerts, recoverAfterMs }: AlertQueueInput): Promise<AlertQueueResult> {
  let delivered = false;
  setHandler(alertQueueDeliveredSignal, () => {
    delivered = true;
  });
  const handedOff = recoverAfterMs <= 0;
  if (!handedOff && (await condition(() => delivered, recoverAfterMs))) return { outcome: 'delivered' };
  const tally = await deliverQueuedAlerts({ queueId: workflowInfo().workflowId, alerts });
  return { outcome: handedOff ? 'handed-off' : 'recovered', ...tally };
}
