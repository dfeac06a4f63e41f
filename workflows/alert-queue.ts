import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { alertQueueRecoverSignal } from '../core/model/alert-lease';
import type { PlatformActivities } from '../core/model/capabilities/platform-activities';
import type { AlertQueueInput, AlertQueueResult } from '../core/model/incident';
import { alertQueueDeliveredSignal } from '../core/model/messages';
import { compat, currentPaths } from './compat';

// Acknowledged alerts are never given up on: retried until Temporal takes them.
const { deliverQueuedAlerts } = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Holds alerts the API acknowledged during a storm before their incidents recorded them.
 * Its start is the durable write that lets the API answer 202. The API then delivers the
 * alerts and signals; a queue the API holds under its lease (`lease`) delivers them itself
 * when the lease says the API process is gone, or, failing that, after `recoverAfterMs`. A
 * queue without a lease (from an API before leases) waits `recoverAfterMs` for the signal;
 * a queue the API handed off (`recoverAfterMs` 0) delivers them at once.
 */
export async function alertQueueWorkflow({ alerts, recoverAfterMs, lease }: AlertQueueInput): Promise<AlertQueueResult> {
  const paths = currentPaths();
  let delivered = false;
  let recover = false;
  setHandler(alertQueueDeliveredSignal, () => {
    delivered = true;
  });
  // Runs started before leases replay as they ran: they never listen for `recover`.
  if (lease !== undefined && compat.alertQueueLease(paths)) {
    setHandler(alertQueueRecoverSignal, () => {
      recover = true;
    });
  }
  const handedOff = recoverAfterMs <= 0;
  if (!handedOff && (await condition(() => delivered || recover, recoverAfterMs)) && delivered) return { outcome: 'delivered' };
  const tally = await deliverQueuedAlerts({ queueId: workflowInfo().workflowId, alerts });
  return { outcome: handedOff ? 'handed-off' : 'recovered', ...tally };
}
