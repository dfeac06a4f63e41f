import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canonicalAlertIdentity, type Alert } from '../../../../core/model/alert';
import { normalizeGenericAlert, type GenericAlert } from '../../../../core/schemas/alert';
import type { Config } from '../../../../core/schemas/config';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import { incidentTexts } from '../../../../core/model/alert-templates';
import { routeAlert } from '../../../../core/model/routing';
import type { Principal } from '../auth/principal';
import { genericDedupKey, hashedDedupKey } from '../../../../temporal-client/incident-ids';
import { MetricsService } from '../metrics/metrics.service';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { alertLaunchOptions, launchesForAlert } from '../../../../core/model/runbook-launches';
import { CONFIG, OPERATOR_CONFIG, RUNBOOK_CATALOG } from '../tokens';
import { AlertIngestor, type IngestOutcome } from './alert-ingestor.service';
import type { AlertAccepted, AlertBatchAccepted } from './alerts.dto';

/** Routes alerts from every source and hands them to the ingestor. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly ingestor: AlertIngestor,
    private readonly metrics: MetricsService,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(RUNBOOK_CATALOG) private readonly runbooks: ReadonlyMap<string, RunbookDefinition>,
  ) {}

  /**
   * With an idempotency key, a redelivery (after a timeout or a 503) is recorded once:
   * the receipt id, which the incident dedupes on, comes from the key.
   */
  async receiveGeneric(body: GenericAlert, principal: Principal, idempotencyKey?: string): Promise<AlertAccepted> {
    const dedupKey = body.dedupKey !== undefined ? genericDedupKey(body.source, body.dedupKey) : hashedDedupKey(canonicalAlertIdentity(body.source, body.labels));
    const receiptId = idempotencyKey ? `key:${digest(`${principal.name}\n${idempotencyKey}`)}` : randomUUID();
    const outcome = await this.receive(normalizeGenericAlert(body, dedupKey), principal, receiptId);
    switch (outcome.status) {
      case 'recorded':
        return { incidentId: outcome.incidentId, status: 'recorded', receiptId };
      case 'queued':
        return { incidentId: null, status: 'queued', receiptId };
      case 'ignored':
        return { incidentId: null, status: 'ignored', receiptId, reason: 'resolved alert with no open incident for its dedup key' };
    }
  }

  /**
   * Several alerts from one delivery (an Alertmanager or Grafana group); each is routed on
   * its own. A vendor alert's receipt id is its state (identity, status and start), so
   * a redelivered or repeated notification of the same state is recorded once.
   */
  async receiveBatch(alerts: Alert[], principal: Principal): Promise<AlertBatchAccepted> {
    const outcomes = await Promise.all(alerts.map((alert) => this.receive(alert, principal, stateReceipt(alert))));
    const incidentIds = [...new Set(outcomes.flatMap((outcome) => (outcome.status === 'recorded' ? [outcome.incidentId] : [])))];
    const count = (status: IngestOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
    return { incidentId: incidentIds[0] ?? null, incidentIds, recorded: count('recorded'), queued: count('queued'), ignored: count('ignored') };
  }

  /**
   * One alert of a delivery that names itself (a CloudEvent's source and id, a digest of a
   * PagerDuty or Opsgenie request): the same delivery again is the same receipt, recorded once.
   */
  receiveDelivery(alert: Alert, principal: Principal, deliveryId: string): Promise<IngestOutcome> {
    return this.receive(alert, principal, `delivery:${digest(`${alert.source}\n${deliveryId}`)}`);
  }

  private async receive(alert: Alert, principal: Principal, receiptId: string): Promise<IngestOutcome> {
    const decision = routeAlert(alert, this.operator);
    const dedupKey =
      decision.dedupBy === 'alert' && alert.fingerprint ? `${alert.source}:fp:${alert.fingerprint}` : alert.dedupKey;
    const routed: Alert = { ...alert, dedupKey, severity: decision.severity, service: decision.service };
    // Only a firing alert can open an incident: a resolved one never needs its texts.
    const texts = routed.status === 'firing' ? incidentTexts(decision.policy.route, decision.templates, routed) : { title: routed.summary, notes: [] };
    const outcome = await this.ingestor.ingest(
      {
        receiptId,
        receivedAt: new Date().toISOString(),
        receivedBy: principal.name,
        alert: routed,
        runbooks: routed.status === 'firing' ? launchesForAlert(routed, decision.policy.runbooks, this.runbooks, alertLaunchOptions(this.operator, decision.policy.route, principal.name)) : [],
      },
      {
        title: texts.title,
        ...(texts.description === undefined ? {} : { summary: texts.description }),
        ...(texts.notes.length > 0 ? { notes: texts.notes } : {}),
        severity: decision.severity,
        service: decision.service,
        dedupKey,
        openedBy: routed.source,
        policy: decision.policy,
        maxHistoryEvents: this.config.incidentMaxHistoryEvents,
      },
    );
    this.metrics.alertReceived(alert.source, outcome.status);
    return outcome;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** The receipt id of a vendor alert's state: the same state delivered again is the same receipt. */
function stateReceipt(alert: Alert): string {
  const identity = alert.fingerprint ?? JSON.stringify(Object.entries(alert.labels).sort());
  return `state:${digest([alert.source, alert.dedupKey, identity, alert.status, alert.startsAt ?? ''].join('\n'))}`;
}
