import type { AddressInfo } from 'node:net';
import { WorkerMetrics } from './metrics';

describe('the worker\'s metrics', () => {
  it('observes each newly reached milestone by severity, and only those', async () => {
    const metrics = new WorkerMetrics();
    metrics.milestonesReached({ severity: 'SEV1', metrics: { timeToAcknowledgeSeconds: 90, timeToResolveSeconds: 4000 }, newlyReached: ['timeToAcknowledgeSeconds'] });
    metrics.milestonesReached({ severity: 'SEV1', metrics: { timeToAcknowledgeSeconds: 90, timeToResolveSeconds: 4000 }, newlyReached: ['timeToResolveSeconds'] });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^firebreak_incident_time_to_acknowledge_seconds_count\{severity="SEV1"\} 1$/m);
    expect(text).toMatch(/^firebreak_incident_time_to_acknowledge_seconds_bucket\{le="60",severity="SEV1"\} 0$/m);
    expect(text).toMatch(/^firebreak_incident_time_to_acknowledge_seconds_bucket\{le="120",severity="SEV1"\} 1$/m);
    expect(text).toMatch(/^firebreak_incident_time_to_resolve_seconds_sum\{severity="SEV1"\} 4000$/m);
    expect(text).not.toMatch(/^firebreak_incident_time_to_mitigate_seconds_count/m);
    expect(text).toMatch(/^firebreak_worker_process_cpu_seconds_total /m);
  });

  it('serves GET /metrics and nothing else', async () => {
    const metrics = new WorkerMetrics();
    const server = await metrics.serve('127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answer = await fetch(`${base}/metrics`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await answer.text()).toMatch(/^# HELP firebreak_incident_time_to_acknowledge_seconds /m);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('refuses a port already taken', async () => {
    const first = await new WorkerMetrics().serve('127.0.0.1', 0);
    try {
      await expect(new WorkerMetrics().serve('127.0.0.1', (first.address() as AddressInfo).port)).rejects.toThrow(/EADDRINUSE/);
    } finally {
      first.close();
    }
  });
});
