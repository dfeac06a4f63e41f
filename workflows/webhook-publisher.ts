/**
 * How a workflow hands its webhook events on: each batch to the `webhooksPublish` activity,
 * in the background (nothing a person waits for waits on it), one batch after another so a
 * workflow's events reach the delivery workflows in the order they happened. Each event's
 * id comes from the workflow id and a number the workflow holds (and carries through
 * continue-as-new), so a retried or replayed publish repeats ids, never makes new ones.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { WebhookActivities } from '../core/model/webhook-delivery';
import { type WebhookEvent, type WebhookEventDraft, webhookEventId, type WebhookEventType } from '../core/model/webhook-events';

/** Handing a batch to the delivery workflows: quick calls to Temporal, retried for about ten minutes. */
const { webhooksPublish } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 15 },
});

/**
 * How long a workflow trusts the last answer on which types any subscription wants: until
 * then it skips the rest (with no subscriptions, one publish per run), after it asks again.
 */
export const WEBHOOK_INTEREST_MS = 10 * 60 * 1000;

/** Events not yet handed over that a run carries into the next (continue-as-new); older ones past it are given up. */
export const MAX_CARRIED_WEBHOOK_EVENTS = 50;

export class WebhookPublisher {
  private chain: Promise<void>;
  private wanted: { types: ReadonlySet<WebhookEventType>; until: number } | undefined;
  /** Batches queued or being published. */
  pending = 0;
  /** Events queued or being published, oldest first: what continue-as-new carries. */
  private readonly unsent: WebhookEvent[] = [];

  constructor(
    private readonly workflowId: string,
    /** The number of the next event. */
    public seq: number,
    /** Called when a batch could not be published, with the events' ids and why. */
    private readonly onLost: (events: WebhookEvent[], reason: string) => void,
    /** The first batch waits for this (what must not wait behind a publish). */
    first: Promise<unknown> = Promise.resolve(),
  ) {
    this.chain = first.then(() => undefined);
  }

  /** Numbers and stamps `drafts` now, and publishes those any subscription may want, after the batches before. */
  publish(drafts: WebhookEventDraft[]): void {
    if (drafts.length === 0) return;
    const timestamp = new Date().toISOString();
    const events = drafts.map((draft): WebhookEvent => ({ id: webhookEventId(this.workflowId, this.seq++), type: draft.type, timestamp, data: draft.data }));
    const wanted = this.wanted && Date.now() < this.wanted.until ? this.wanted.types : undefined;
    const batch = wanted ? events.filter((event) => wanted.has(event.type)) : events;
    if (batch.length > 0) this.send(batch);
  }

  /** Publishes events a run before this one numbered and could not hand over (their ids unchanged). */
  resend(events: readonly WebhookEvent[]): void {
    if (events.length > 0) this.send([...events]);
  }

  /** The events not handed over yet, at most {@link MAX_CARRIED_WEBHOOK_EVENTS} (the newest), for the next run. */
  carry(): WebhookEvent[] {
    return this.unsent.slice(-MAX_CARRIED_WEBHOOK_EVENTS);
  }

  private send(batch: WebhookEvent[]): void {
    this.pending += 1;
    this.unsent.push(...batch);
    this.chain = this.chain.then(async () => {
      try {
        const result = await webhooksPublish({ source: this.workflowId, events: batch });
        this.wanted = { types: new Set(result.wanted), until: Date.now() + WEBHOOK_INTEREST_MS };
      } catch (error) {
        this.onLost(batch, error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
      } finally {
        this.pending -= 1;
        this.unsent.splice(0, batch.length);
      }
    });
  }

  /** Resolves once every batch queued so far is published (or given up). */
  flushed(): Promise<void> {
    return this.chain;
  }
}
