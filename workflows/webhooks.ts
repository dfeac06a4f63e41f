/**
 * One subscription's deliveries: a durable FIFO queue of events, delivered one at a time in
 * order. Head-of-line: while the event at the head is retried (for the subscription's
 * `retryFor`), the ones behind it wait; once it is delivered, or fails for good into the
 * failed list, the next goes. Events come by signal from the publishing activity; an id
 * seen lately is dropped. Continues as new before its history grows large, carrying its
 * (bounded) state.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { BoundedIdSet } from '../core/model/incident/bounds';
import { compactId } from '../core/model/text';
import {
  type DeliveriesView,
  type DeliveryAttemptDetails,
  type DeliveryFailure,
  deliveryError,
  type DeliveryRecord,
  type DeliveryState,
  fitsQueue,
  keepDelivered,
  keepFailed,
  newDeliveryState,
  type QueuedWebhook,
  queueBytes,
  WEBHOOK_DELIVERY_LIMITS,
  type WebhookActivities,
  WebhookDeliveryFailure,
  type WebhookDeliveryInput,
  webhookDeliveriesQuery,
  webhookEnqueueSignal,
  webhookRedriveUpdate,
  WebhookRedriveFailure,
} from '../core/model/webhook-delivery';
import { webhookMessageId } from '../core/model/webhook-events';

/** The longest wait between two attempts of one delivery. */
const MAX_RETRY_INTERVAL_MS = 60 * 60 * 1000;

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<void> {
  const state: DeliveryState = input.carried ?? newDeliveryState(input.subscriptionId, input.retryForMs);
  const seen = new BoundedIdSet(state.seen, WEBHOOK_DELIVERY_LIMITS.seen, compactId);
  let bytes = queueBytes(state.queue);
  let current: { event: QueuedWebhook; since: string } | undefined;
  const maxHistoryEvents = input.maxHistoryEvents ?? WEBHOOK_DELIVERY_LIMITS.maxHistoryEvents;
  const now = () => new Date().toISOString();

  setHandler(webhookEnqueueSignal, ({ events, retryForMs }) => {
    if (retryForMs > 0) state.retryForMs = retryForMs;
    for (const event of events) {
      if (seen.seen(event.eventId)) {
        state.counters.duplicates += 1;
        continue;
      }
      seen.add(event.eventId);
      const queued: QueuedWebhook = { ...event, enqueuedAt: now() };
      if (fitsQueue(state.queue, bytes, queued)) {
        state.queue.push(queued);
        bytes += utf8Size(queued);
      } else {
        // Past the cap the event is never sent on its own: it waits in the failed list for a re-send.
        state.counters.queueFull += 1;
        keepFailed(state, { event: queued, record: record(queued, 'failed', 0, { failure: 'queue-full', lastError: deliveryError('the queue was full') }) });
      }
    }
  });

  setHandler(webhookDeliveriesQuery, (): DeliveriesView => ({
    subscriptionId: state.subscriptionId,
    pending: state.queue.length,
    pendingBytes: bytes,
    ...(current ? { current: { eventId: current.event.eventId, type: current.event.type, since: current.since } } : {}),
    delivered: state.delivered,
    failed: state.failed.map(({ record: failed }) => failed),
    counters: state.counters,
  }));

  setHandler(
    webhookRedriveUpdate,
    ({ eventId }) => {
      const index = state.failed.findIndex(({ event }) => event.eventId === eventId);
      const { event } = state.failed.splice(index, 1)[0];
      const again: QueuedWebhook = { ...event, enqueuedAt: now(), redriven: (event.redriven ?? 0) + 1 };
      state.queue.push(again);
      bytes += utf8Size(again);
      return { queued: state.queue.length };
    },
    {
      validator: ({ eventId }) => {
        const failed = state.failed.find(({ event }) => event.eventId === eventId);
        if (failed) {
          if (!fitsQueue(state.queue, bytes, failed.event)) throw ApplicationFailure.nonRetryable('the queue is full; try again once it drains', WebhookRedriveFailure.Conflict);
          return;
        }
        if (state.delivered.some((delivered) => delivered.eventId === eventId)) throw ApplicationFailure.nonRetryable('the delivery was delivered already', WebhookRedriveFailure.Conflict);
        if (state.queue.some((queued) => queued.eventId === eventId) || current?.event.eventId === eventId) {
          throw ApplicationFailure.nonRetryable('the delivery is pending already', WebhookRedriveFailure.Conflict);
        }
        throw ApplicationFailure.nonRetryable(`no failed delivery of event "${eventId}"`, WebhookRedriveFailure.NotFound);
      },
    },
  );

  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxHistoryEvents;
  for (;;) {
    await condition(() => state.queue.length > 0 || historyFull());
    if (historyFull()) break;
    const event = state.queue[0];
    current = { event, since: now() };
    await deliver(state, event);
    current = undefined;
    state.queue.shift();
    bytes -= utf8Size(event);
  }
  // Signals that came meanwhile are handled before the state is carried.
  await condition(allHandlersFinished);
  return continueAsNew<typeof webhookDeliveryWorkflow>({ ...input, retryForMs: state.retryForMs, carried: { ...state, seen: seen.values() } });
}

/** Delivers `event`, retried by Temporal for the window; records it delivered or failed. */
async function deliver(state: DeliveryState, event: QueuedWebhook): Promise<void> {
  const { webhookDeliver } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: state.retryForMs,
    retry: {
      initialInterval: '1 second',
      backoffCoefficient: 2,
      maximumInterval: Math.max(1000, Math.min(MAX_RETRY_INTERVAL_MS, state.retryForMs / 4)),
      nonRetryableErrorTypes: [WebhookDeliveryFailure.Gone, WebhookDeliveryFailure.Unsubscribed],
    },
  });
  try {
    const { attempt } = await webhookDeliver({ subscriptionId: state.subscriptionId, eventId: event.eventId, body: event.body });
    keepDelivered(state, record(event, 'delivered', attempt));
  } catch (error) {
    const { type, details, message } = lastFailure(error);
    const failure: DeliveryFailure = type === WebhookDeliveryFailure.Gone ? 'gone' : type === WebhookDeliveryFailure.Unsubscribed ? 'unsubscribed' : 'exhausted';
    const lastError = deliveryError(message, details?.status, details?.answer);
    keepFailed(state, { event, record: record(event, 'failed', details?.attempt ?? 0, { failure, lastError }) });
  }
}

function record(event: QueuedWebhook, status: DeliveryRecord['status'], attempts: number, failed?: Pick<DeliveryRecord, 'failure' | 'lastError'>): DeliveryRecord {
  return {
    eventId: event.eventId,
    type: event.type,
    webhookId: webhookMessageId(event.eventId),
    attempts,
    ...(event.enqueuedAt ? { enqueuedAt: event.enqueuedAt } : {}),
    at: new Date().toISOString(),
    status,
    ...failed,
    ...(event.redriven ? { redriven: event.redriven } : {}),
  };
}

/**
 * The last attempt's failure: its type, what it carried (status, answer, attempt) and its
 * message. A delivery out of time fails with a timeout whose cause is the last attempt's failure.
 */
function lastFailure(error: unknown): { type?: string; details?: DeliveryAttemptDetails; message: string } {
  let message = error instanceof Error ? error.message : String(error);
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure) {
      return { type: cause.type ?? undefined, details: cause.details?.[0] as DeliveryAttemptDetails | undefined, message: cause.message };
    }
    if (!(cause instanceof ActivityFailure)) message = cause.message;
  }
  return { message };
}

const utf8Size = (event: QueuedWebhook) => queueBytes([event]);
