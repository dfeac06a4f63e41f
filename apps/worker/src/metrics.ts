/**
 * The worker's Prometheus metrics: time to acknowledge, mitigate and resolve, fed by the
 * incident record's projection (activities/platform/record.ts). The write that records a
 * milestone first reports it, once, whichever path reached it (the API, chat, the CLI,
 * auto-mitigation, a heartbeat's recovery), so these histograms count what
 * `GET /v1/reports/response` counts. Each milestone is observed by exactly one worker, so a
 * fleet's histograms add up across workers.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { IncidentMetrics } from '../../../core/model/incident';
import type { MilestoneObserver } from '../../../activities/platform/record';

/** Seconds: a minute to a day, the range response times fall in. */
const RESPONSE_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

const MILESTONE_METRICS: Record<keyof IncidentMetrics, { name: string; help: string }> = {
  timeToAcknowledgeSeconds: { name: 'firebreak_incident_time_to_acknowledge_seconds', help: 'Time from an incident opening to its acknowledgement, by whatever path.' },
  timeToMitigateSeconds: { name: 'firebreak_incident_time_to_mitigate_seconds', help: 'Time from an incident opening to its mitigation, by whatever path.' },
  timeToResolveSeconds: { name: 'firebreak_incident_time_to_resolve_seconds', help: 'Time from an incident opening to its resolution, by whatever path.' },
};

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly milestones: Record<keyof IncidentMetrics, Histogram<'severity'>>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'firebreak_worker_' });
    const histogram = ({ name, help }: { name: string; help: string }) =>
      new Histogram({ name, help, labelNames: ['severity'] as const, buckets: RESPONSE_BUCKETS, registers: [this.registry] });
    this.milestones = {
      timeToAcknowledgeSeconds: histogram(MILESTONE_METRICS.timeToAcknowledgeSeconds),
      timeToMitigateSeconds: histogram(MILESTONE_METRICS.timeToMitigateSeconds),
      timeToResolveSeconds: histogram(MILESTONE_METRICS.timeToResolveSeconds),
    };
  }

  /** For the record's activities: each milestone a write recorded first. */
  readonly milestonesReached: MilestoneObserver = ({ severity, metrics, newlyReached }) => {
    for (const milestone of newlyReached) {
      const seconds = metrics[milestone];
      if (seconds !== undefined) this.milestones[milestone].observe({ severity }, seconds);
    }
  };

  /**
   * Serves `GET /metrics` on `host:port` (Prometheus text; nothing else is served). No key:
   * it says only how many incidents of each severity reached each milestone how fast, and
   * binds where `HOST` says (loopback by default).
   */
  async serve(host: string, port: number): Promise<Server> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the worker serves only GET /metrics\n');
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('only GET\n');
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }
}
