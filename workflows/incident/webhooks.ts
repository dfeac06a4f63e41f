import { condition } from '@temporalio/workflow';
import type { CarriedIncidentState, OpenIncidentInput } from '../../core/model/incident';
import type { WebhookEvent } from '../../core/model/webhook-events';
import { IncidentStatus } from '../../core/model/incident-model';
import { incidentChanges, incidentOpened, type IncidentView, incidentView } from '../../core/model/webhook-events';
import { WebhookPublisher } from '../webhook-publisher';
import type { IncidentRun } from './incident-run';

/**
 * What an incident carries through continue-as-new for its webhooks, beside its state: the
 * next event's number, and the events not handed over yet (the next run sends them first).
 */
export type CarriedWithWebhooks = CarriedIncidentState & { webhookSeq?: number; webhookUnsent?: WebhookEvent[] };

/**
 * An incident's webhook events: `incident.opened` when it opens, then, after each handler,
 * the events its change produced (core/model/webhook-events.ts), compared with what the
 * last look saw. Published in the background, in order.
 */
export class IncidentWebhooks {
  private view: IncidentView;
  readonly publisher: WebhookPublisher;

  constructor(private readonly run: IncidentRun) {
    const carried = run.input.carried as CarriedWithWebhooks | undefined;
    this.view = incidentView(run.incident);
    // The first page is scheduled before the first publish: nothing comes before paging someone.
    const paged = condition(() => !run.progress.pagePending || run.incident.status === IncidentStatus.Closed);
    this.publisher = new WebhookPublisher(
      run.workflowId,
      carried?.webhookSeq ?? 0,
      (events, reason) =>
        run.record({ kind: 'notification', actor: 'firebreak', summary: `Webhook events not published (${events.map((event) => event.type).join(', ')}): ${reason}` }),
      paged,
    );
    if (!carried) this.publisher.publish([incidentOpened(run.incident)]);
    else this.publisher.resend(carried.webhookUnsent ?? []);
  }

  /** Publishes what changed since the last look, caused by `actor`. */
  observe(actor: string): void {
    const events = incidentChanges(this.view, this.run.incident, actor);
    if (events.length === 0) return;
    this.view = incidentView(this.run.incident);
    this.publisher.publish(events);
  }

  /** The next run's input carries the event number on. */
  static carry(input: OpenIncidentInput, carried: CarriedIncidentState, webhooks: IncidentWebhooks | undefined): OpenIncidentInput {
    const unsent = webhooks?.publisher.carry() ?? [];
    const next: CarriedWithWebhooks = webhooks ? { ...carried, webhookSeq: webhooks.publisher.seq, ...(unsent.length > 0 ? { webhookUnsent: unsent } : {}) } : carried;
    return { ...input, carried: next };
  }
}
