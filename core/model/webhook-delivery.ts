/**
 * One webhook subscription's deliveries, as its delivery workflow holds them: a FIFO queue
 * of events (bounded in count and bytes), the recent ids seen (to drop duplicates), the
 * recently delivered, and the failed, kept with their bodies so they can be sent again.
 * Pure and zod-free: the delivery workflow, the publishing activity and the API share it.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { WebhookEvent, WebhookEventType } from './webhook-events';
import { shortenKey, utf8Bytes, utf8Prefix } from './text';

export const WEBHOOK_DELIVERY_LIMITS = {
  /** Events waiting in a subscription's queue, and their bodies' bytes. */
  queue: 1_000,
  queueBytes: 512 * 1024,
  /** Failed deliveries kept (with their bodies, for re-sending); the oldest leave first. */
  failed: 200,
  failedBytes: 512 * 1024,
  /** Delivered ones listed (without bodies). */
  delivered: 100,
  /** Event ids remembered to drop a duplicate (a retried publish, a replayed workflow). */
  seen: 4_096,
  /** The answer's first bytes kept with a failure. */
  answerBytes: 500,
  /** History events after which a delivery workflow continues as new. */
  maxHistoryEvents: 5_000,
} as const;

export { DEFAULT_RETRY_FOR_MS } from './webhook-event-types';

/** An event on its way to one subscription: its body is fixed once, so every attempt sends the same bytes. */
export interface QueuedWebhook {
  eventId: string;
  type: WebhookEventType;
  /** The event's own time (`timestamp` in the body). */
  timestamp: string;
  /** The exact JSON sent and signed. */
  body: string;
  /** When the delivery workflow took it. */
  enqueuedAt?: string;
  /** Sent again from the failed list. */
  redriven?: number;
}

/** Why a delivery failed. */
export type DeliveryFailure =
  /** Retried for the subscription's whole window without a 2xx. */
  | 'exhausted'
  /** The receiver answered 410 Gone: no retries. */
  | 'gone'
  /** The subscription is no longer in runbooks/webhooks.ts. */
  | 'unsubscribed'
  /** The queue was full when the event came: never sent. */
  | 'queue-full';

export interface DeliveryError {
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** The first {@link WEBHOOK_DELIVERY_LIMITS.answerBytes} bytes of the last answer. */
  answer?: string;
  message: string;
}

/** A delivery as the API lists it (without its body). */
export interface DeliveryRecord {
  eventId: string;
  type: WebhookEventType;
  webhookId: string;
  attempts: number;
  enqueuedAt?: string;
  /** When it was delivered, or when it failed. */
  at: string;
  status: 'delivered' | 'failed';
  failure?: DeliveryFailure;
  lastError?: DeliveryError;
  redriven?: number;
}

export interface FailedDelivery {
  record: DeliveryRecord;
  event: QueuedWebhook;
}

export interface DeliveryState {
  subscriptionId: string;
  queue: QueuedWebhook[];
  failed: FailedDelivery[];
  delivered: DeliveryRecord[];
  seen: string[];
  counters: DeliveryCounters;
  /** The retry window deliveries use, as the last publish said. */
  retryForMs: number;
}

export interface DeliveryCounters {
  delivered: number;
  failed: number;
  /** Events that found the queue full. */
  queueFull: number;
  /** Events already seen, dropped. */
  duplicates: number;
  /** Failed deliveries that left the failed list (too many). */
  failedDropped: number;
}

export interface WebhookDeliveryInput {
  subscriptionId: string;
  retryForMs: number;
  /** State carried across continue-as-new; absent on the first run. */
  carried?: DeliveryState;
  /** @default WEBHOOK_DELIVERY_LIMITS.maxHistoryEvents */
  maxHistoryEvents?: number;
}

/** What the API reads: counts, the delivery in flight, the recent delivered and the failed. */
export interface DeliveriesView {
  subscriptionId: string;
  pending: number;
  pendingBytes: number;
  current?: { eventId: string; type: WebhookEventType; since: string };
  delivered: DeliveryRecord[];
  failed: DeliveryRecord[];
  counters: DeliveryCounters;
}

export interface EnqueueWebhooksInput {
  events: QueuedWebhook[];
  /** The subscription's retry window now (runbooks/webhooks.ts may have changed). */
  retryForMs: number;
}

/** Events for a subscription's delivery workflow (signal-with-start by the publishing activity). */
export const webhookEnqueueSignal = defineSignal<[EnqueueWebhooksInput]>('webhookEnqueue');
/** The subscription's deliveries: pending, in flight, delivered, failed. */
export const webhookDeliveriesQuery = defineQuery<DeliveriesView>('webhookDeliveries');
/** Sends a failed delivery again, with the same webhook-id and body; refused when unknown or delivered. */
export const webhookRedriveUpdate = defineUpdate<{ queued: number }, [{ eventId: string }]>('webhookRedrive');

/** Failure types of {@link webhookRedriveUpdate}; the API maps them to 404 and 409. */
export const WebhookRedriveFailure = {
  NotFound: 'WebhookDeliveryNotFound',
  Conflict: 'WebhookDeliveryConflict',
} as const;

/** The delivery workflow of a subscription, per task queue (tests share one namespace across queues). */
export const webhookDeliveryWorkflowId = (taskQueue: string, subscriptionId: string): string =>
  `webhooks:${shortenKey(taskQueue, 200)}:${subscriptionId}`;

/** A delivery's id in the API: the subscription and the event, which no subscription id can confuse (`~` is not in one). */
export const deliveryId = (subscriptionId: string, eventId: string): string => `${subscriptionId}~${eventId}`;

export function parseDeliveryId(id: string): { subscriptionId: string; eventId: string } | undefined {
  const at = id.indexOf('~');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { subscriptionId: id.slice(0, at), eventId: id.slice(at + 1) };
}

export const newDeliveryState = (subscriptionId: string, retryForMs: number): DeliveryState => ({
  subscriptionId,
  queue: [],
  failed: [],
  delivered: [],
  seen: [],
  counters: { delivered: 0, failed: 0, queueFull: 0, duplicates: 0, failedDropped: 0 },
  retryForMs,
});

const bodyBytes = (event: QueuedWebhook) => utf8Bytes(event.body);

export const queueBytes = (queue: readonly QueuedWebhook[]): number => queue.reduce((total, event) => total + bodyBytes(event), 0);

/** Whether `event` fits in `queue` now. */
export const fitsQueue = (queue: readonly QueuedWebhook[], bytes: number, event: QueuedWebhook): boolean =>
  queue.length < WEBHOOK_DELIVERY_LIMITS.queue && bytes + bodyBytes(event) <= WEBHOOK_DELIVERY_LIMITS.queueBytes;

/** A failed delivery added to the list, the oldest leaving past its bounds (counted). */
export function keepFailed(state: DeliveryState, failed: FailedDelivery): void {
  state.failed.push(failed);
  state.counters.failed += 1;
  let bytes = state.failed.reduce((total, { event }) => total + bodyBytes(event), 0);
  while (state.failed.length > 1 && (state.failed.length > WEBHOOK_DELIVERY_LIMITS.failed || bytes > WEBHOOK_DELIVERY_LIMITS.failedBytes)) {
    bytes -= bodyBytes(state.failed.shift()!.event);
    state.counters.failedDropped += 1;
  }
}

export function keepDelivered(state: DeliveryState, record: DeliveryRecord): void {
  state.delivered.push(record);
  state.counters.delivered += 1;
  if (state.delivered.length > WEBHOOK_DELIVERY_LIMITS.delivered) state.delivered.splice(0, state.delivered.length - WEBHOOK_DELIVERY_LIMITS.delivered);
}

/** The last error of a delivery, with the answer cut to its first bytes. */
export function deliveryError(message: string, status?: number, answer?: string): DeliveryError {
  const cut = answer === undefined ? undefined : utf8Prefix(answer, WEBHOOK_DELIVERY_LIMITS.answerBytes);
  return { message: utf8Prefix(message, 1_000), ...(status !== undefined ? { status } : {}), ...(cut !== undefined ? { answer: cut } : {}) };
}

// ---- activities -----------------------------------------------------------------------

export interface PublishWebhooksInput {
  /** The workflow whose events these are. */
  source: string;
  events: WebhookEvent[];
}

export interface PublishWebhooksResult {
  /** Subscriptions the events were handed to. */
  subscriptions: number;
  /** The event types any subscription wants, so a workflow can skip the rest for a while. */
  wanted: WebhookEventType[];
}

export interface DeliverWebhookInput {
  subscriptionId: string;
  eventId: string;
  body: string;
}

export interface DeliverWebhookResult {
  status: number;
  attempt: number;
}

/** What a failed attempt carries to the delivery workflow (as the failure's details). */
export interface DeliveryAttemptDetails {
  attempt: number;
  status?: number;
  answer?: string;
}

/** Failure types of {@link WebhookActivities.webhookDeliver}. */
export const WebhookDeliveryFailure = {
  /** A non-2xx answer or no answer: retried. */
  Failed: 'WebhookDeliveryFailed',
  /** 410 Gone: not retried. */
  Gone: 'WebhookGone',
  /** No such subscription in the worker's runbooks/webhooks.ts. */
  Unsubscribed: 'WebhookUnsubscribed',
} as const;

/** The webhook activities (activities/platform/webhooks.ts), for the workflows that call them. */
export interface WebhookActivities {
  /** Hands events to the delivery workflow of each subscription that wants them. */
  webhooksPublish(input: PublishWebhooksInput): Promise<PublishWebhooksResult>;
  /** One signed POST of an event to its subscription's URL. */
  webhookDeliver(input: DeliverWebhookInput): Promise<DeliverWebhookResult>;
}
