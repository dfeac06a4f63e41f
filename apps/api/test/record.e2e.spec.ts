import { Client, Connection } from '@temporalio/client';
import { createRecordActivities } from '../../../activities/platform/record';
import { backfillRecord } from '../../../record/backfill';
import { executionRecordInput, incidentRecordInput } from '../../../record/projection';
import { RecordStore } from '../../../record/store';
import { alertEntry, snapshotOf } from '../../../record/testing/incidents';
import { recordServerKinds, type RecordTestServer } from '../../../record/testing/servers';
import { TestFirebreak } from '../../../test/firebreak';
import type { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

describe.each(recordServerKinds())('the incident record over HTTP, on $name', (kind) => {
  let server: RecordTestServer;
  let store: RecordStore;
  let firebreak: TestFirebreak;
  let responder: HttpClient;
  let viewer: HttpClient;
  const service = `record-e2e-${kind.name}`;

  beforeAll(async () => {
    server = await kind.start();
    store = RecordStore.connect(server.url);
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig(), env: { DATABASE_URL: server.url } });
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

  it('still finds, searches and counts an incident recorded and then terminated in Temporal', async () => {
    const id = await declare(`Zebrafish cache stampede ${kind.name}`);
    expect((await act(id, { action: 'acknowledge' })).status).toBe(200);
    expect((await act(id, { action: 'add-note', text: 'A quokka-shaped spike in the eviction graph' })).status).toBe(200);
    expect((await act(id, { action: 'resolve' })).status).toBe(200);
    const live = (await viewer.get(`/v1/incidents/${id}`)).body;
    expect(live.postmortem).toEqual(expect.any(String));

    // What the incident workflow's projection does: one write of everything since the last.
    await createRecordActivities(store).recordIncident(incidentRecordInput(live, 0, true));
    const temporal = new Client({ connection: await Connection.connect({ address: firebreak.config.temporal.address }) });
    try {
      await temporal.workflow.getHandle(id).terminate('terminated by an operator');
      // What Temporal's retention does to a closed workflow, at once.
      await temporal.workflowService.deleteWorkflowExecution({ namespace: firebreak.config.temporal.namespace, workflowExecution: { workflowId: id } });
    } finally {
      await temporal.connection.close();
    }

    const archived = await waitFor('the incident to be read from the record', async () => {
      const answer = await viewer.get(`/v1/incidents/${id}`);
      return answer.body.archived === true && answer;
      // The dev server deletes a closed workflow's records in the background, within seconds.
    }, { timeoutMs: 60_000 });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ id, archived: true, status: 'resolved', service, metrics: { timeToResolveSeconds: expect.any(Number) } });
    expect(archived.body.timeline.map((entry: { summary: string }) => entry.summary)).toContainEqual(expect.stringContaining('quokka'));
    expect((await viewer.get(`/v1/incidents/${id}/timeline`)).body.entries.length).toBe(live.timeline.length);

    const found = await viewer.get('/v1/incidents?q=quokka%20eviction');
    expect(found.status).toBe(200);
    expect(found.body.incidents.map((incident: { id: string }) => incident.id)).toContain(id);
    expect(found.body.incidents.find((incident: { id: string }) => incident.id === id)).toMatchObject({ status: 'resolved', durationSeconds: expect.any(Number) });
    const listed = await viewer.get(`/v1/incidents?archived=true&service=${service}&sort=duration&order=asc`);
    expect(listed.body.incidents.map((incident: { id: string }) => incident.id)).toContain(id);

    const day = live.openedAt.slice(0, 10);
    const next = new Date(Date.parse(day) + 86_400_000).toISOString();
    const report = await viewer.get(`/v1/reports/response?from=${day}T00:00:00Z&to=${next}&by=service&interval=day`);
    expect(report.status).toBe(200);
    expect(report.body.buckets).toContainEqual(
      expect.objectContaining({ key: service, incidents: 1, mtta: expect.objectContaining({ count: 1 }), mttr: expect.objectContaining({ count: 1 }) }),
    );
  }, 90_000);

  it('lists past incidents of the same service with how they were resolved', async () => {
    const past = `inc-${kind.name === 'pglite' ? 'a' : 'b'}00000000001`;
    await store.recordIncident(
      incidentRecordInput(
        snapshotOf({
          id: past,
          service: `${service}-similar`,
          openedAt: '2026-01-01T10:00:00.000Z',
          resolvedAt: '2026-01-01T10:45:00.000Z',
          status: 'closed',
          timeline: [alertEntry('2026-01-01T10:00:00.000Z', 'Disk full', { alertname: 'DiskFull' })],
        }),
        0,
      ),
    );
    const run = { runbookVersion: 1, title: 'Free disk', dryRun: false, launchedBy: 'ops', trigger: 'manual' as const, input: {}, steps: [], approvals: [], log: [] };
    await store.recordExecution(executionRecordInput({ ...run, id: `exec-${past}`, runbookId: 'free-disk', status: 'completed', incidentId: past, startedAt: '2026-01-01T10:05:00.000Z', endedAt: '2026-01-01T10:06:00.000Z' }, 3));
    const now = (await responder.post('/v1/incidents', { title: 'Disk full again', severity: 'SEV3', service: `${service}-similar` })).body.id as string;

    const similar = await viewer.get(`/v1/incidents/${now}/similar`);
    expect(similar.status).toBe(200);
    expect(similar.body).toMatchObject({ incidentId: now, service: `${service}-similar` });
    expect(similar.body.incidents).toEqual([
      expect.objectContaining({ id: past, sameService: true, durationSeconds: 45 * 60, runbooks: [expect.objectContaining({ runbookId: 'free-disk', status: 'completed', durationSeconds: 60 })] }),
    ]);

    const runbooks = await viewer.get('/v1/reports/runbooks?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z');
    expect(runbooks.status).toBe(200);
    expect(runbooks.body.runbooks).toContainEqual(expect.objectContaining({ runbookId: 'free-disk', executions: 1, successRate: 1, p50DurationSeconds: 60 }));
  });

  it('rebuilds the record from Temporal with the backfill, idempotently', async () => {
    const id = await declare(`Backfilled pangolin outage ${kind.name}`);
    expect((await act(id, { action: 'add-note', text: 'the pangolin rolled over' })).status).toBe(200);
    const temporal = new Client({ connection: await Connection.connect({ address: firebreak.config.temporal.address }), namespace: firebreak.config.temporal.namespace });
    try {
      // This test's task queue only: the shared test server holds every other test's workflows.
      const filter = `TaskQueue = '${firebreak.taskQueue}'`;
      const first = await backfillRecord(temporal, store, { filter });
      const again = await backfillRecord(temporal, store, { filter });
      expect(first.incidents).toBeGreaterThan(0);
      expect(again.incidents).toBe(first.incidents);
    } finally {
      await temporal.connection.close();
    }
    const recorded = await store.readIncident(id);
    expect(recorded?.timeline.map((entry) => entry.summary)).toContainEqual(expect.stringContaining('pangolin rolled over'));
    const found = await viewer.get('/v1/incidents?q=pangolin');
    expect(found.body.incidents.map((incident: { id: string }) => incident.id)).toEqual([id]);
  }, 90_000);

  it.each([
    ['/v1/incidents?sort=severity', 'sort'],
    ['/v1/incidents?q=a%00b', 'q'],
    ['/v1/incidents?archived=yes', 'archived'],
    ['/v1/incidents?q=disk&pageToken=bm90LWEtdG9rZW4', 'pageToken'],
    ['/v1/reports/response?interval=year', 'interval'],
    ['/v1/reports/response?by=team', 'by'],
    ['/v1/reports/response?from=yesterday', 'from'],
    ['/v1/reports/response?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['/v1/reports/response?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=day', 'interval'],
    ['/v1/reports/runbooks?to=soon', 'to'],
    ['/v1/incidents/inc-000000000000/similar?limit=0', 'limit'],
  ])('answers 400 naming the parameter for %s', async (path, parameter) => {
    const answer = await viewer.get(path);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(parameter);
  });

  it('answers 503 with Retry-After for search and reports while the record is down, and live reads still answer', async () => {
    const id = await declare(`Live while the record is down ${kind.name}`);
    await server.pause();
    try {
      for (const path of ['/v1/incidents?q=anything', '/v1/reports/response', '/v1/reports/runbooks', `/v1/incidents/${id}/similar`]) {
        const answer = await viewer.get(path);
        expect([path, answer.status]).toEqual([path, 503]);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      const incident = await viewer.get(`/v1/incidents/${id}`);
      expect(incident.status).toBe(200);
      expect(incident.body.archived).toBeUndefined();
      expect((await viewer.get(`/v1/incidents?service=${service}`)).status).toBe(200);
      expect((await act(id, { action: 'acknowledge' })).status).toBe(200);
    } finally {
      await server.resume();
    }
    await waitFor('search to answer again', async () => (await viewer.get('/v1/incidents?q=anything')).status === 200);
  }, 60_000);
});
