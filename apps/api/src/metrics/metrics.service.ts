import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { IncidentMetrics } from '../../../../core/incident';

/** Response-time buckets, in seconds: a minute to a day. */
const RESPONSE_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

/**
 * Prometheus metrics for this API process. Each replica exports what it saw; Prometheus
 * sums across replicas. Each milestone is observed once, by the replica whose command
 * reached it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly alerts = new Counter({
    name: 'firebreak_alerts_received_total',
    help: 'Alerts acknowledged by the API, by source and outcome.',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly milestones: Record<keyof IncidentMetrics, Histogram> = {
    timeToAcknowledgeSeconds: this.histogram('firebreak_incident_time_to_acknowledge_seconds', 'Time from an incident opening to its acknowledgement.'),
    timeToMitigateSeconds: this.histogram('firebreak_incident_time_to_mitigate_seconds', 'Time from an incident opening to its mitigation.'),
    timeToResolveSeconds: this.histogram('firebreak_incident_time_to_resolve_seconds', 'Time from an incident opening to its resolution.'),
  };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'firebreak_api_' });
  }

  private histogram(name: string, help: string): Histogram {
    return new Histogram({ name, help, labelNames: ['severity'] as const, buckets: RESPONSE_BUCKETS, registers: [this.registry] });
  }

  alertReceived(source: string, outcome: 'recorded' | 'queued' | 'ignored'): void {
    this.alerts.inc({ source, outcome });
  }

  milestonesReached(severity: string, metrics: IncidentMetrics, reached: Array<keyof IncidentMetrics>): void {
    for (const metric of reached) {
      const value = metrics[metric];
      if (value !== undefined) this.milestones[metric].observe({ severity }, value);
    }
  }
}
