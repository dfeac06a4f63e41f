/**
 * Outgoing webhooks: handing a workflow's events to each subscription's delivery workflow,
 * and one signed POST of an event to a subscription's URL (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`, signed with the `standardwebhooks` library).
 */
import { Context } from '@temporalio/activity';
import { type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Webhook } from 'standardwebhooks';
import {
  type DeliverWebhookInput,
  type DeliverWebhookResult,
  type DeliveryAttemptDetails,
  type EnqueueWebhooksInput,
  type PublishWebhooksInput,
  type PublishWebhooksResult,
  type QueuedWebhook,
  WEBHOOK_DELIVERY_LIMITS,
  type WebhookActivities,
  WebhookDeliveryFailure,
  type WebhookDeliveryInput,
  webhookDeliveryWorkflowId,
  webhookEnqueueSignal,
} from '../../core/model/webhook-delivery';
import { WEBHOOK_EVENT_TYPES, webhookBody, webhookMessageId, type WebhookEventType, wantsEvent } from '../../core/model/webhook-events';
import { utf8Prefix } from '../../core/model/text';
import type { Secret } from '../../core/schemas/integrations-config';
import type { WebhookSubscription } from '../../core/schemas/webhooks-config';

export interface WebhookSettings {
  subscriptions: readonly WebhookSubscription[];
  /** Each subscription's signing secret, by subscription id (loadWebhookSecrets). */
  secrets: ReadonlyMap<string, Secret>;
  /** Where links in event bodies point (`PUBLIC_URL`). */
  publicUrl: string;
  /**
   * How long one attempt may wait for an answer: the spec recommends 15 to 30 seconds.
   * @default 15 seconds
   */
  requestTimeoutMs?: number;
}

/** Signal-with-starts made at once when one batch goes to many subscriptions. */
const PUBLISH_CONCURRENCY = 8;

type DeliveryWorkflow = (input: WebhookDeliveryInput) => Promise<void>;

export function createWebhookActivities(client: Client, taskQueue: string, settings: WebhookSettings): WebhookActivities {
  const byId = new Map(settings.subscriptions.map((subscription) => [subscription.id, subscription]));
  const wanted = WEBHOOK_EVENT_TYPES.filter((type) => settings.subscriptions.some((subscription) => wantsEvent(subscription.events, type)));
  const signers = new Map([...settings.secrets].map(([id, secret]) => [id, new Webhook(secret.reveal())]));
  const timeoutMs = settings.requestTimeoutMs ?? 15_000;

  return {
    async webhooksPublish({ events }: PublishWebhooksInput): Promise<PublishWebhooksResult> {
      const targets = settings.subscriptions
        .map((subscription) => ({ subscription, events: events.filter((event) => wantsEvent(subscription.events, event.type)) }))
        .filter((target) => target.events.length > 0);
      let next = 0;
      const publishNext = async (): Promise<void> => {
        for (let index = next++; index < targets.length; index = next++) {
          const { subscription, events: wantedEvents } = targets[index];
          const queued: QueuedWebhook[] = wantedEvents.map((event) => ({
            eventId: event.id,
            type: event.type,
            timestamp: event.timestamp,
            body: webhookBody(event, settings.publicUrl),
          }));
          // The delivery workflow drops ids it has seen: a retried publish adds nothing.
          await client.workflow.signalWithStart<DeliveryWorkflow, [EnqueueWebhooksInput]>('webhookDeliveryWorkflow', {
            workflowId: webhookDeliveryWorkflowId(taskQueue, subscription.id),
            taskQueue,
            args: [{ subscriptionId: subscription.id, retryForMs: subscription.retryForMs }],
            signal: webhookEnqueueSignal,
            signalArgs: [{ events: queued, retryForMs: subscription.retryForMs }],
          });
        }
      };
      await Promise.all(Array.from({ length: Math.min(PUBLISH_CONCURRENCY, targets.length) }, publishNext));
      return { subscriptions: targets.length, wanted: [...wanted] as WebhookEventType[] };
    },

    async webhookDeliver({ subscriptionId, eventId, body }: DeliverWebhookInput): Promise<DeliverWebhookResult> {
      const attempt = Context.current().info.attempt;
      const subscription = byId.get(subscriptionId);
      const signer = signers.get(subscriptionId);
      if (!subscription || !signer) {
        throw ApplicationFailure.nonRetryable(`no subscription "${subscriptionId}" in runbooks/webhooks.ts`, WebhookDeliveryFailure.Unsubscribed, { attempt } satisfies DeliveryAttemptDetails);
      }
      const msgId = webhookMessageId(eventId);
      const now = new Date();
      let response: Response;
      try {
        response = await fetch(subscription.url, {
          method: 'POST',
          // A redirect is a failure (the spec's advice): the subscription's URL should be updated instead.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            ...subscription.headers,
            'content-type': 'application/json',
            'user-agent': 'Firebreak-Webhooks/1',
            'webhook-id': msgId,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signer.sign(msgId, now, body),
          },
          body,
        });
      } catch (error) {
        throw ApplicationFailure.retryable(`POST to ${where(subscription.url)} failed: ${networkReason(error)}`, WebhookDeliveryFailure.Failed, { attempt } satisfies DeliveryAttemptDetails);
      }
      const answer = await readAnswer(response);
      if (response.status >= 200 && response.status < 300) return { status: response.status, attempt };
      const details: DeliveryAttemptDetails = { attempt, status: response.status, answer };
      const message = `${where(subscription.url)} answered ${response.status}`;
      // 410 Gone: the receiver wants no more of these (Standard Webhooks); every other answer is retried.
      if (response.status === 410) throw ApplicationFailure.nonRetryable(message, WebhookDeliveryFailure.Gone, details);
      const after = retryAfterMs(response.headers.get('retry-after'));
      throw ApplicationFailure.create({ message, type: WebhookDeliveryFailure.Failed, details: [details], ...(after !== undefined ? { nextRetryDelay: after } : {}) });
    },
  };
}

/** The URL as errors show it: no credentials, no query (either may hold a token). */
function where(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the subscription URL';
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  for (const candidate of [error, cause] as Array<{ name?: unknown; code?: unknown } | undefined>) {
    if (candidate?.name === 'TimeoutError') return 'no answer in time';
  }
  const code = (cause as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The answer's first bytes (as many as a failure keeps), read no further; a body that will not read is no answer. */
async function readAnswer(response: Response): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < WEBHOOK_DELIVERY_LIMITS.answerBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
    }
  } catch {
    // What was read is the answer.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.length === 0 ? undefined : utf8Prefix(text, WEBHOOK_DELIVERY_LIMITS.answerBytes);
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), at most an hour; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(seconds, 1000), 60 * 60 * 1000);
}
