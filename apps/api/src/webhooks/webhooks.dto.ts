import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../../../core/model/webhook-events';
import { createApiDto } from '../http/api-dto';

export const DeliveriesQuerySchema = z
  .object({
    status: z.enum(['failed', 'delivered']).optional().describe('Only failed or only delivered deliveries; both by default.'),
    subscription: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a subscription id from runbooks/webhooks.ts')
      .optional()
      .describe("One subscription's deliveries; every subscription's by default."),
  })
  .strict();

const EventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const SubscriptionViewSchema = z.object({
  id: z.string(),
  url: z.string().describe('The URL without credentials or query, which may hold a token.'),
  events: z.union([z.literal('*'), z.array(EventTypeSchema)]),
  description: z.string().optional(),
  retryForSeconds: z.number(),
  pending: z.number().describe('Events waiting in the queue, the one being delivered included.'),
  pendingBytes: z.number(),
  delivering: z.object({ eventId: z.string(), type: EventTypeSchema, since: z.string() }).optional().describe('The delivery at the head of the queue, being tried.'),
  counters: z.object({
    delivered: z.number(),
    failed: z.number(),
    queueFull: z.number().describe('Events that found the queue full (in the failed list as queue-full).'),
    duplicates: z.number(),
    failedDropped: z.number().describe('Failed deliveries no longer held (the failed list is bounded).'),
  }),
});

export const SubscriptionsSchema = z.object({ subscriptions: z.array(SubscriptionViewSchema) });

const DeliveryViewSchema = z.object({
  id: z.string().describe('`<subscription>~<event id>`: what POST /v1/webhooks/deliveries/:id/retry takes.'),
  subscription: z.string(),
  eventId: z.string(),
  type: EventTypeSchema,
  webhookId: z.string().describe('The `webhook-id` header of every attempt.'),
  status: z.enum(['delivered', 'failed']),
  attempts: z.number(),
  failure: z.enum(['exhausted', 'gone', 'unsubscribed', 'queue-full']).optional(),
  lastError: z
    .object({ status: z.number().optional(), answer: z.string().optional().describe("The answer's first 500 bytes."), message: z.string() })
    .optional(),
  enqueuedAt: z.string().optional(),
  at: z.string().describe('When it was delivered, or when it failed.'),
  redriven: z.number().optional().describe('Times it was sent again from the failed list.'),
});

export const DeliveriesSchema = z.object({ deliveries: z.array(DeliveryViewSchema) });
export const RetryAcceptedSchema = z.object({ id: z.string(), webhookId: z.string(), status: z.literal('queued'), position: z.number() });

export class DeliveriesQueryDto extends createApiDto(DeliveriesQuerySchema) {}
export class SubscriptionsDto extends createApiDto(SubscriptionsSchema) {}
export class DeliveriesDto extends createApiDto(DeliveriesSchema) {}
export class RetryAcceptedDto extends createApiDto(RetryAcceptedSchema) {}
