import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ALERTMANAGER_SOURCE } from '../../../../core/schemas/alert-sources/alertmanager';
import { GRAFANA_SOURCE } from '../../../../core/schemas/alert-sources/grafana';
import { CLOUDWATCH_SOURCE } from '../../../../core/schemas/alert-sources/sns';

/**
 * The `source` label of alert metrics: a fixed set, since the generic route lets the sender
 * choose any source and every distinct label value is a series Prometheus keeps.
 */
export const SOURCE_LABELS = ['alertmanager', 'grafana', 'sns', 'generic'] as const;
export type SourceLabel = (typeof SOURCE_LABELS)[number];

const KNOWN_SOURCES: ReadonlyMap<string, SourceLabel> = new Map([
  [ALERTMANAGER_SOURCE, 'alertmanager'],
  [GRAFANA_SOURCE, 'grafana'],
  [CLOUDWATCH_SOURCE, 'sns'],
]);

/** The label for an alert's source: its own route's name, or `generic` for any other. */
export function sourceLabel(source: string): SourceLabel {
  return KNOWN_SOURCES.get(source) ?? 'generic';
}

/**
 * Prometheus metrics for this API process. Each replica exports what it saw; Prometheus
 * sums across replicas. Response times (time to acknowledge, mitigate, resolve) are the
 * worker's (apps/worker/src/metrics.ts), fed by the incident record whatever path reached them.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly alerts = new Counter({
    name: 'firebreak_alerts_received_total',
    help: 'Alerts acknowledged by the API, by source route (alertmanager, grafana, sns, generic) and outcome.',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Reads of the status page from Temporal (each one serves every request until the cache expires). */
  readonly statusPageReads = new Counter({
    name: 'firebreak_status_page_reads_total',
    help: 'Status page reads from Temporal, by outcome (ok or unknown).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Temporal probes behind `/readyz`. */
  readonly readinessProbes = new Counter({
    name: 'firebreak_readiness_probes_total',
    help: 'Temporal reachability probes made for /readyz, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Incident reads made for event streams: one per incident per poll, however many subscribe. */
  readonly incidentEventPolls = new Counter({
    name: 'firebreak_incident_event_polls_total',
    help: 'Incident reads made to feed event streams (one per watched incident per poll).',
    registers: [this.registry],
  });

  /** Incidents with an event-stream poller running: one per incident, however many streams watch it. */
  readonly incidentEventPollers = new Gauge({
    name: 'firebreak_incident_event_pollers',
    help: 'Incidents whose timeline is being polled for event streams now (one poller per incident).',
    registers: [this.registry],
  });

  readonly incidentEventStreams = new Gauge({
    name: 'firebreak_incident_event_streams',
    help: 'Incident event streams (SSE) open now.',
    registers: [this.registry],
  });

  private readonly authRefusals = new Counter({
    name: 'firebreak_auth_refusals_total',
    help: 'Requests refused for their credentials (401) or their rights (403), by principal: a configured key\'s name, other (signed in otherwise), unknown (credentials that name nobody) or none.',
    labelNames: ['principal', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'firebreak_api_' });
  }

  alertReceived(source: string, outcome: 'recorded' | 'queued' | 'ignored'): void {
    this.alerts.inc({ source: sourceLabel(source), outcome });
  }

  /** A refusal by the guard; `principal` is already a bounded label value (see AccessCheck). */
  authRefused(principal: string, status: 401 | 403): void {
    this.authRefusals.inc({ principal, status: String(status) });
  }
}
