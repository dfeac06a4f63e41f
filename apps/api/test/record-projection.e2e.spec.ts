import { RecordStore } from '../../../record/store';
import { recordServerKinds, type RecordTestServer } from '../../../record/testing/servers';
import { TestFirebreak } from '../../../test/firebreak';
import type { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

/**
 * The workflows' projection end to end: incidents driven through the API, by people and by
 * alerts, reach the record on their own (no backfill, no test writes), and an outage of the
 * record delays it without holding any incident up.
 */
describe.each(recordServerKinds())('the workflows write the incident record, on $name', (kind) => {
  let server: RecordTestServer;
  let store: RecordStore;
  let firebreak: TestFirebreak;
  let responder: HttpClient;
  let viewer: HttpClient;
  const service = `projection-${kind.name}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    server = await kind.start();
    store = RecordStore.connect(server.url, { retryAfterSeconds: 1 });
    // The default route auto-mitigates an incident once every alert has resolved.
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig({ autoMitigate: true }), env: { DATABASE_URL: server.url } });
    responder = firebreak.as('responder');
    viewer = firebreak.as('viewer');
  }, 120_000);
  afterAll(async () => {
    await firebreak?.stop();
    await store?.close();
    await server?.stop();
  });

  const act = (id: string, body: Record<string, unknown>) => responder.post(`/v1/incidents/${id}/actions`, body);
  const declare = async (title: string) => {
    const declared = await responder.post('/v1/incidents', { title, severity: 'SEV2', service });
    expect(declared.status).toBe(201);
    return declared.body.id as string;
  };
  const summaries = (timeline: Array<{ summary: string }>) => timeline.map((entry) => entry.summary);
  /** How many observations a histogram of the worker's metrics holds, across severities. */
  const observed = async (name: string) => {
    const metric = await firebreak.workerMetrics.registry.getSingleMetric(name)!.get();
    const values = metric.values as Array<{ metricName?: string; value: number }>;
    return values.filter((value) => value.metricName === `${name}_count`).reduce((sum, value) => sum + value.value, 0);
  };

  /** Waits until the record holds the incident's whole live timeline and status, and answers both. */
  const caughtUp = (id: string, timeoutMs = 90_000) =>
    waitFor(
      `the record to hold every timeline entry of ${id}`,
      async () => {
        const live = (await viewer.get(`/v1/incidents/${id}`)).body as { status: string; timeline: Array<{ summary: string }> };
        const recorded = await store.readIncident(id).catch(() => undefined);
        if (!recorded || recorded.status !== live.status || recorded.timeline.length !== live.timeline.length) return undefined;
        return { live, recorded };
      },
      { timeoutMs, intervalMs: 250 },
    );

  it('records incidents moved by people and by alerts, found by search and counted in reports', async () => {
    const declared = await declare(`Platypus queue backlog ${kind.name}`);
    expect((await act(declared, { action: 'acknowledge' })).status).toBe(200);
    expect((await act(declared, { action: 'add-note', text: 'The numbat consumer stalled on a poison message' })).status).toBe(200);
    expect((await act(declared, { action: 'resolve' })).status).toBe(200);

    // Opened by an alert and mitigated by the route when it resolved: no person moved it.
    const alert = { source: 'e2e', summary: `Okapi gateway 5xx above 2% ${kind.name}`, severity: 'critical', labels: { service, alertname: 'OkapiErrors' }, dedupKey: service };
    const fired = await responder.post('/v1/alerts', { ...alert, status: 'firing' });
    expect(fired.status).toBe(202);
    const alerted = fired.body.incidentId as string;
    expect((await responder.post('/v1/alerts', { ...alert, status: 'resolved' })).status).toBe(202);
    await waitFor('the route to auto-mitigate the incident', async () => (await viewer.get(`/v1/incidents/${alerted}`)).body.status === 'mitigated');
    expect((await act(alerted, { action: 'resolve' })).status).toBe(200);

    for (const id of [declared, alerted]) {
      const { live, recorded } = await caughtUp(id);
      expect(recorded.timelineStart ?? 0).toBe(0);
      expect(summaries(recorded.timeline)).toEqual(summaries(live.timeline));
    }
    expect((await store.readIncident(alerted))?.mitigatedAt).toEqual(expect.any(String));

    const found = await viewer.get('/v1/incidents?q=numbat%20poison');
    expect(found.status).toBe(200);
    expect(found.body.incidents.map((incident: { id: string }) => incident.id)).toEqual([declared]);
    const byAlert = await viewer.get('/v1/incidents?q=okapi');
    expect(byAlert.body.incidents.map((incident: { id: string }) => incident.id)).toEqual([alerted]);

    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.parse(day) + 86_400_000).toISOString();
    const report = await viewer.get(`/v1/reports/response?from=${day}T00:00:00Z&to=${next}&by=service&interval=day`);
    expect(report.status).toBe(200);
    // The auto-mitigation counts (towards MTTA and MTTM) though no API command made it.
    expect(report.body.buckets).toContainEqual(
      expect.objectContaining({
        key: service,
        incidents: 2,
        mtta: expect.objectContaining({ count: 2 }),
        mttm: expect.objectContaining({ count: 2 }),
        mttr: expect.objectContaining({ count: 2 }),
      }),
    );
    // The worker's histograms are fed by the same writes: each milestone once, the
    // auto-mitigation too, however many times the projection wrote each incident.
    for (const [metric, count] of [['acknowledge', 2], ['mitigate', 2], ['resolve', 2]] as const) {
      expect(await observed(`firebreak_incident_time_to_${metric}_seconds`)).toBe(count);
    }
  }, 150_000);

  it('keeps incidents answering while the record is down, and catches up with nothing lost once it is back', async () => {
    const id = await declare(`Capybara cache outage ${kind.name}`);
    await caughtUp(id);
    await server.pause();
    try {
      expect((await act(id, { action: 'acknowledge' })).status).toBe(200);
      expect((await act(id, { action: 'add-note', text: 'The quetzal shard is cold' })).status).toBe(200);
      expect((await act(id, { action: 'resolve' })).status).toBe(200);
      expect((await viewer.get(`/v1/incidents/${id}`)).body.status).toBe('resolved');
      // Search reads the record: it answers 503 with Retry-After while the record is down.
      const search = await viewer.get('/v1/incidents?q=quetzal');
      expect(search.status).toBe(503);
      expect(search.headers.get('retry-after')).toEqual(expect.any(String));
    } finally {
      await server.resume();
    }
    const { live, recorded } = await caughtUp(id, 120_000);
    expect(recorded.timelineStart ?? 0).toBe(0);
    expect(summaries(recorded.timeline)).toEqual(summaries(live.timeline));
    expect(recorded).toMatchObject({ status: 'resolved', acknowledgedAt: expect.any(String), resolvedAt: expect.any(String) });
    const found = await waitFor('search to answer again', async () => {
      const answer = await viewer.get('/v1/incidents?q=quetzal');
      return answer.status === 200 && answer;
    });
    expect(found.body.incidents.map((incident: { id: string }) => incident.id)).toEqual([id]);
  }, 180_000);
});
