import { ConflictException, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { Gauge } from 'prom-client';
import {
  type DeliveriesView,
  deliveryId,
  newDeliveryState,
  parseDeliveryId,
  webhookDeliveriesQuery,
  webhookDeliveryWorkflowId,
  webhookRedriveUpdate,
  WebhookRedriveFailure,
} from '../../../../core/model/webhook-delivery';
import { webhookMessageId } from '../../../../core/model/webhook-events';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import type { WebhookSubscription } from '../../../../core/schemas/webhooks-config';
import { NotFoundError, ValidationFailedError } from '../http/failures';
import { MetricsService } from '../metrics/metrics.service';
import { TemporalService } from '../temporal/temporal.service';
import { OPERATOR_CONFIG } from '../tokens';
import type { DeliveriesDto, DeliveriesQueryDto, RetryAcceptedDto, SubscriptionsDto } from './webhooks.dto';

/** Delivery workflows read at once. */
const READS_AT_ONCE = 8;

/** The URL as the API shows it: no credentials, no query (either may hold a token). */
const shownUrl = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/** Outgoing webhooks: the subscriptions from runbooks/webhooks.ts and what their delivery workflows hold. Never a secret. */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Each subscription's queue and outcomes in /metrics, read from its delivery workflow at
   * each scrape. Every API replica reports the same values: aggregate them with max, not sum.
   */
  onModuleInit(): void {
    if (this.operator.webhooks.length === 0) return;
    const read = () => this.views(this.operator.webhooks).catch(() => undefined);
    new Gauge({
      name: 'firebreak_webhook_events',
      help: 'Outgoing webhook events per subscription, as its delivery queue counts them: pending, delivered, failed, queue_full (found the queue full), duplicates (dropped as seen).',
      labelNames: ['subscription', 'state'] as const,
      registers: [this.metrics.registry],
      async collect() {
        const views = await read();
        this.reset();
        for (const view of views ?? []) {
          const { delivered, failed, queueFull, duplicates } = view.counters;
          const states = { pending: view.pending, delivered, failed, queue_full: queueFull, duplicates };
          for (const [state, value] of Object.entries(states)) this.set({ subscription: view.subscriptionId, state }, value);
        }
      },
    });
  }

  async subscriptions(): Promise<SubscriptionsDto> {
    const views = await this.views(this.operator.webhooks);
    return {
      subscriptions: this.operator.webhooks.map((subscription, index) => {
        const view = views[index];
        return {
          id: subscription.id,
          url: shownUrl(subscription.url),
          events: subscription.events === '*' ? '*' : [...subscription.events],
          ...(subscription.description ? { description: subscription.description } : {}),
          retryForSeconds: subscription.retryForMs / 1000,
          pending: view.pending,
          pendingBytes: view.pendingBytes,
          ...(view.current ? { delivering: view.current } : {}),
          counters: view.counters,
        };
      }),
    };
  }

  async deliveries(query: DeliveriesQueryDto): Promise<DeliveriesDto> {
    const chosen = query.subscription === undefined ? this.operator.webhooks : [this.subscription(query.subscription, true)];
    const views = await this.views(chosen);
    const deliveries = views.flatMap((view) =>
      [...(query.status !== 'delivered' ? view.failed : []), ...(query.status !== 'failed' ? view.delivered : [])].map((record) => ({
        id: deliveryId(view.subscriptionId, record.eventId),
        subscription: view.subscriptionId,
        ...record,
      })),
    );
    deliveries.sort((a, b) => b.at.localeCompare(a.at));
    return { deliveries };
  }

  /** Sends a failed delivery again, with the same webhook-id and body. */
  async retry(id: string): Promise<RetryAcceptedDto> {
    const parsed = parseDeliveryId(id);
    const subscription = parsed && this.operator.webhooks.find((candidate) => candidate.id === parsed.subscriptionId);
    if (!parsed || !subscription) throw new NotFoundError('delivery', id);
    try {
      const { queued } = await this.temporal.call('re-sending a webhook delivery', (client) =>
        client.workflow.getHandle(webhookDeliveryWorkflowId(this.temporal.taskQueue, subscription.id)).executeUpdate(webhookRedriveUpdate, { args: [{ eventId: parsed.eventId }] }),
      );
      return { id, webhookId: webhookMessageId(parsed.eventId), status: 'queued', position: queued };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError('delivery', id, { cause: error });
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        if (error.cause.type === WebhookRedriveFailure.NotFound) throw new NotFoundError('delivery', id, { cause: error });
        if (error.cause.type === WebhookRedriveFailure.Conflict) throw new ConflictException(`delivery ${id}: ${error.cause.message}`);
      }
      throw error;
    }
  }

  private subscription(id: string, asParameter: boolean): WebhookSubscription {
    const subscription = this.operator.webhooks.find((candidate) => candidate.id === id);
    if (!subscription && asParameter) {
      throw new ValidationFailedError([{ path: ['subscription'], rule: 'unknown', message: `no subscription "${id}" in runbooks/webhooks.ts` }]);
    }
    return subscription!;
  }

  /** Each subscription's deliveries as its workflow holds them; one not started yet holds none. */
  private async views(subscriptions: readonly WebhookSubscription[]): Promise<DeliveriesView[]> {
    const views: DeliveriesView[] = [];
    for (let at = 0; at < subscriptions.length; at += READS_AT_ONCE) {
      views.push(...(await Promise.all(subscriptions.slice(at, at + READS_AT_ONCE).map((subscription) => this.view(subscription)))));
    }
    return views;
  }

  private async view(subscription: WebhookSubscription): Promise<DeliveriesView> {
    try {
      return await this.temporal.call('reading webhook deliveries', (client) =>
        client.workflow.getHandle(webhookDeliveryWorkflowId(this.temporal.taskQueue, subscription.id)).query(webhookDeliveriesQuery),
      );
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const empty = newDeliveryState(subscription.id, subscription.retryForMs);
      return { subscriptionId: subscription.id, pending: 0, pendingBytes: 0, delivered: [], failed: [], counters: empty.counters };
    }
  }
}
