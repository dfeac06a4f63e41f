/**
 * The outgoing-webhook event types and the default retry window: a leaf module, so the
 * subscriptions' schema (core/schemas/webhooks-config.ts) reads them without the event model.
 */
export const WEBHOOK_EVENT_TYPES = [
  'incident.opened',
  'incident.acknowledged',
  'incident.status_changed',
  'incident.severity_changed',
  'incident.role_assigned',
  'incident.resolved',
  'incident.closed',
  'execution.started',
  'execution.step_completed',
  'execution.completed',
  'execution.failed',
  'approval.requested',
  'approval.decided',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What a subscription's `events` asks for: a list of types, or every type. */
export type WebhookInterest = readonly WebhookEventType[] | '*';

/** The default window a delivery is retried in, when a subscription sets none: 24 hours. */
export const DEFAULT_RETRY_FOR_MS = 24 * 60 * 60 * 1000;
