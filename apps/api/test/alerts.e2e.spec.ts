import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { genericDedupKey, incidentIdFor } from '../../../temporal-client/incident-ids';
import { STATUS_PAGE_WORKFLOW_TYPE } from '../../../core/model/status-page-messages';
import { TestFirebreak } from '../../../test/firebreak';
import { listingUpserts, sharedTemporalAddress } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

const alert = (overrides: Record<string, unknown> = {}) => ({
  source: 'e2e',
  summary: 'Checkout p99 latency above 2s',
  status: 'firing',
  severity: 'critical',
  labels: { service: 'checkout', alertname: 'HighLatency' },
  ...overrides,
});

describe('POST /v1/alerts', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => temporal.connection.close());
  beforeEach(async () => {
    firebreak = await TestFirebreak.start();
  });
  afterEach(() => firebreak.stop());

  /** Workflows alerts started on this test's task queue, as visibility reports them (the API starts its status page at boot). */
  const workflowsOnQueue = async () => {
    const ids: string[] = [];
    const query = `TaskQueue = '${firebreak.taskQueue}' AND WorkflowType != '${STATUS_PAGE_WORKFLOW_TYPE}'`;
    for await (const execution of temporal.workflow.list({ query })) {
      ids.push(execution.workflowId);
    }
    return ids.sort();
  };

  it('puts 20 concurrent alerts with one dedup key on one incident and 5 with another on a second', async () => {
    const api = firebreak.as('responder');
    const first = Array.from({ length: 20 }, (_, i) =>
      api.post('/v1/alerts', alert({ dedupKey: 'checkout-latency', summary: `latency alert ${i}` })),
    );
    const second = Array.from({ length: 5 }, (_, i) =>
      api.post('/v1/alerts', alert({ dedupKey: 'payments-errors', summary: `errors alert ${i}` })),
    );
    const answers = await Promise.all([...first, ...second]);

    for (const answer of answers) expect(answer.status).toBe(202);
    const firstIds = new Set(answers.slice(0, 20).map((answer) => answer.body.incidentId));
    const secondIds = new Set(answers.slice(20).map((answer) => answer.body.incidentId));
    expect(firstIds.size).toBe(1);
    expect(secondIds.size).toBe(1);
    const [firstId] = firstIds;
    const [secondId] = secondIds;
    expect(firstId).not.toEqual(secondId);

    const incident = await firebreak.as('viewer').get(`/v1/incidents/${firstId}`);
    expect(incident.status).toBe(200);
    expect(incident.body).toMatchObject({ id: firstId, status: 'triggered', severity: 'SEV1', service: 'checkout' });
    expect(incident.body.alertCount).toBe(20);
    const alertEntries = incident.body.timeline.filter((entry: { kind: string }) => entry.kind === 'alert');
    expect(alertEntries).toHaveLength(20);
    expect(new Set(alertEntries.map((entry: { summary: string }) => entry.summary)).size).toBe(20);
    expect(alertEntries.every((entry: { actor: string }) => entry.actor === 'alertmanager')).toBe(true);

    const other = await firebreak.as('viewer').get(`/v1/incidents/${secondId}`);
    expect(other.body.alertCount).toBe(5);

    expect(await waitFor('both workflows in visibility', async () => {
      const ids = await workflowsOnQueue();
      return ids.length === 2 ? ids : undefined;
    })).toEqual([firstId, secondId].sort());
  });

  it('lists incidents from visibility, filtered by severity and service', async () => {
    const api = firebreak.as('responder');
    const service = `svc-${firebreak.taskQueue}`;
    const opened = await api.post('/v1/alerts', alert({ dedupKey: `list-${service}`, service, severity: 'SEV2' }));
    expect(opened.status).toBe(202);
    const page = await waitFor('the incident in the list', async () => {
      const answer = await firebreak.as('viewer').get(`/v1/incidents?service=${service}&severity=SEV2`);
      return answer.body.incidents?.length === 1 ? answer : undefined;
    });
    expect(page.status).toBe(200);
    expect(page.body.incidents[0]).toMatchObject({
      id: opened.body.incidentId,
      status: 'triggered',
      severity: 'SEV2',
      service,
      title: 'Checkout p99 latency above 2s',
      running: true,
    });
    const none = await firebreak.as('viewer').get(`/v1/incidents?service=${service}&severity=SEV0`);
    expect(none.body.incidents).toEqual([]);

    // Listed from its start: the workflow writes its search attributes only when they change.
    const id = opened.body.incidentId;
    expect(await listingUpserts(temporal, id)).toEqual([]);
    await api.post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' });
    await waitFor('the acknowledged incident in the list', async () => {
      const answer = await firebreak.as('viewer').get(`/v1/incidents?service=${service}&status=acknowledged`);
      return answer.body.incidents?.length === 1;
    });
    await api.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: 'nothing listed changes' });
    expect(await listingUpserts(temporal, id)).toEqual([{ FirebreakStatus: 'acknowledged', FirebreakSeverity: 'SEV2', FirebreakService: service }]);
  });

  it('refuses bad input, bad keys and too-small roles without starting a workflow', async () => {
    const malformed = await firebreak.as('responder').post('/v1/alerts', alert({ status: 'exploded', labels: { a: 1 } }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'status', rule: 'invalid_value' }),
        expect.objectContaining({ path: 'labels.a', rule: 'invalid_type' }),
      ]),
    );
    expect(malformed.body.message).toContain('status');

    const missingField = await firebreak.as('responder').post('/v1/alerts', { source: 'e2e', status: 'firing' });
    expect(missingField.status).toBe(400);
    expect(missingField.body.issues).toEqual([expect.objectContaining({ path: 'summary', rule: 'invalid_type' })]);

    const notJson = await firebreak.as('responder').post('/v1/alerts', '{"source":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/JSON/);

    const noKey = await firebreak.http.post('/v1/alerts', alert());
    expect(noKey.status).toBe(401);
    const wrongKey = await firebreak.http.as('not-a-real-key').post('/v1/alerts', alert());
    expect(wrongKey.status).toBe(401);
    const viewer = await firebreak.as('viewer').post('/v1/alerts', alert());
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toContain('responder');

    // A control alert proves visibility is current before counting: only it started a workflow.
    const control = await firebreak.as('responder').post('/v1/alerts', alert({ dedupKey: 'control' }));
    expect(control.status).toBe(202);
    const ids = await waitFor('the control workflow in visibility', async () => {
      const found = await workflowsOnQueue();
      return found.includes(control.body.incidentId) ? found : undefined;
    });
    expect(ids).toEqual([control.body.incidentId]);
  });

  it('records a resolved alert on the open incident, and ignores one with no incident', async () => {
    const api = firebreak.as('responder');
    const key = `resolve-${firebreak.taskQueue}`;
    const opened = await api.post('/v1/alerts', alert({ dedupKey: key }));
    const resolved = await api.post('/v1/alerts', alert({ dedupKey: key, status: 'resolved' }));
    expect(resolved.status).toBe(202);
    expect(resolved.body).toMatchObject({ incidentId: opened.body.incidentId, status: 'recorded' });
    const incident = await firebreak.as('viewer').get(`/v1/incidents/${opened.body.incidentId}`);
    expect(incident.body.firingAlerts).toBe(0);
    const alertEntries = incident.body.timeline.filter((entry: { kind: string }) => entry.kind === 'alert');
    expect(alertEntries.at(-1).summary).toMatch(/^Alert resolved/);
    // The default route auto-mitigates once every alert has resolved.
    expect(incident.body.status).toBe('mitigated');

    const orphan = await api.post('/v1/alerts', alert({ dedupKey: `${key}-never-fired`, status: 'resolved' }));
    expect(orphan.status).toBe(202);
    expect(orphan.body).toMatchObject({ incidentId: null, status: 'ignored' });
  });

  it('derives the same dedup key from the same source and labels in any order', async () => {
    const api = firebreak.as('responder');
    const a = await api.post('/v1/alerts', alert({ labels: { zone: 'a', service: firebreak.taskQueue } }));
    const b = await api.post('/v1/alerts', alert({ labels: { service: firebreak.taskQueue, zone: 'a' } }));
    const c = await api.post('/v1/alerts', alert({ labels: { service: firebreak.taskQueue, zone: 'b' } }));
    expect(a.body.incidentId).toEqual(b.body.incidentId);
    expect(c.body.incidentId).not.toEqual(a.body.incidentId);
  });

  it('opens a new incident when the key fires again after its incident resolved, and again after it closed', async () => {
    const key = `reopen-${firebreak.taskQueue}`;
    const api = firebreak.as('responder');
    const first = (await api.post('/v1/alerts', alert({ dedupKey: key }))).body.incidentId;
    expect((await api.post(`/v1/incidents/${first}/actions`, { action: 'resolve' })).status).toBe(200);

    const second = (await api.post('/v1/alerts', alert({ dedupKey: key, summary: 'it is back' }))).body.incidentId;
    expect(second).toBe(`${first}-2`);
    // A resolved alert still finds the resolved incident's successor, the open one.
    expect((await api.post('/v1/alerts', alert({ dedupKey: key, status: 'resolved' }))).body.incidentId).toBe(second);
    expect((await firebreak.as('viewer').get(`/v1/incidents/${first}`)).body.alertCount).toBe(1);

    await firebreak.as('commander').post(`/v1/incidents/${second}/actions`, { action: 'close' });
    await waitFor('the second incident to close', async () => {
      const incident = await firebreak.as('viewer').get(`/v1/incidents/${second}`);
      return incident.body.status === 'closed';
    });
    const third = (await api.post('/v1/alerts', alert({ dedupKey: key, summary: 'and again' }))).body.incidentId;
    expect(third).toBe(`${first}-3`);
  });

  it('pages through the list', async () => {
    const service = `paged-${firebreak.taskQueue}`;
    const api = firebreak.as('responder');
    for (const n of [1, 2, 3]) await api.post('/v1/alerts', alert({ dedupKey: `${service}-${n}`, service }));
    await waitFor('all three in the list', async () => {
      const all = await firebreak.as('viewer').get(`/v1/incidents?service=${service}`);
      return all.body.incidents.length === 3;
    });
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: string = `/v1/incidents?service=${service}&pageSize=2${token ? `&pageToken=${token}` : ''}`;
      const page = await firebreak.as('viewer').get(query);
      expect(page.body.incidents.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.incidents.map((incident: { id: string }) => incident.id));
      token = page.body.nextPageToken;
    } while (token);
    expect(new Set(seen).size).toBe(3);
  });

  it('records a redelivery with the same Idempotency-Key once', async () => {
    const api = firebreak.as('responder');
    const body = alert({ dedupKey: `idem-${firebreak.taskQueue}` });
    const headers = { 'idempotency-key': 'delivery-1' };
    const answers = [await api.post('/v1/alerts', body, headers), await api.post('/v1/alerts', body, headers)];
    expect(answers.map((answer) => answer.body.receiptId)).toEqual([answers[0].body.receiptId, answers[0].body.receiptId]);
    await api.post('/v1/alerts', body, { 'idempotency-key': 'delivery-2' });
    expect((await firebreak.as('viewer').get(`/v1/incidents/${answers[0].body.incidentId}`)).body.alertCount).toBe(2);
  });

  it('keeps a generic alert off another source\'s incident, whatever dedup key it brings', async () => {
    const api = firebreak.as('responder');
    const fixture = JSON.parse(readFileSync(join(__dirname, '../../../test/fixtures/alertmanager/alertmanager-0.25-webhook-1.json'), 'utf8')).body;
    const groupKey = `{}:{alertname="X-${firebreak.taskQueue}"}`;
    const group = await api.post('/v1/alerts/alertmanager', { ...fixture, groupKey });
    expect(group.status).toBe(202);
    const grouped = (await firebreak.as('viewer').get(`/v1/incidents/${group.body.incidentId}`)).body;
    // The generic sender names the very key the Alertmanager incident holds, and the group key itself.
    for (const dedupKey of [grouped.dedupKey, `alertmanager:${groupKey}`]) {
      const generic = await api.post('/v1/alerts', alert({ dedupKey }));
      expect(generic.status).toBe(202);
      expect(generic.body.incidentId).not.toBe(group.body.incidentId);
    }
    expect((await firebreak.as('viewer').get(`/v1/incidents/${group.body.incidentId}`)).body.alertCount).toBe(grouped.alertCount);
    // Two generic sources with one key land apart; one source's alerts still meet.
    const [a, b, again] = [
      await api.post('/v1/alerts', alert({ source: 'cron-a', dedupKey: 'nightly' })),
      await api.post('/v1/alerts', alert({ source: 'cron-b', dedupKey: 'nightly' })),
      await api.post('/v1/alerts', alert({ source: 'cron-a', dedupKey: 'nightly' })),
    ];
    expect(a.body.incidentId).not.toBe(b.body.incidentId);
    expect(again.body.incidentId).toBe(a.body.incidentId);
  });

  it('records a new firing alert on a key with more than 50 resolved incidents', async () => {
    // 60 earlier generations, closed, made cheaply: started where no worker polls, then terminated.
    const key = `long-lived-${firebreak.taskQueue}`;
    const dedupKey = genericDedupKey('e2e', key);
    for (let generation = 1; generation <= 60; generation++) {
      const handle = await temporal.workflow.start('incidentWorkflow', {
        workflowId: incidentIdFor(dedupKey, generation),
        taskQueue: `${firebreak.taskQueue}-nowhere`,
        args: [{}],
      });
      await handle.terminate('an earlier incident of the key, long closed');
    }
    const answer = await firebreak.as('responder').post('/v1/alerts', alert({ dedupKey: key, summary: 'back once more' }));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'recorded', incidentId: incidentIdFor(dedupKey, 61) });
    const resolved = await firebreak.as('responder').post('/v1/alerts', alert({ dedupKey: key, status: 'resolved' }));
    expect(resolved.body.incidentId).toBe(incidentIdFor(dedupKey, 61));
  });

  it('answers 400 naming pageToken for a token it did not hand out', async () => {
    const viewer = firebreak.as('viewer');
    const service = `tokens-${firebreak.taskQueue}`;
    for (const n of [1, 2]) await firebreak.as('responder').post('/v1/alerts', alert({ dedupKey: `${service}-${n}`, service }));
    const page = await waitFor('a first page with a next page', async () => {
      const answer = await viewer.get(`/v1/incidents?service=${service}&pageSize=1`);
      return answer.body.nextPageToken ? answer : undefined;
    });
    const garbage = [
      'AAAA',
      Buffer.from('{"CloseTime":"2020-01-01T00:00:00Z","RunID":"x"}').toString('base64url'),
      Buffer.alloc(3000, 7).toString('base64url'),
      `${page.body.nextPageToken}A`,
    ];
    for (const pageToken of garbage) {
      const answer = await viewer.get(`/v1/incidents?service=${service}&pageSize=1&pageToken=${pageToken}`);
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([expect.objectContaining({ path: 'pageToken' })]);
    }
    // A real token for other filters is refused too; for its own listing it pages on.
    const otherListing = await viewer.get(`/v1/incidents?pageSize=1&pageToken=${page.body.nextPageToken}`);
    expect(otherListing.status).toBe(400);
    const next = await viewer.get(`/v1/incidents?service=${service}&pageSize=1&pageToken=${page.body.nextPageToken}`);
    expect(next.status).toBe(200);
    expect(next.body.incidents).toHaveLength(1);
  });

  it('answers 404 for an unknown incident', async () => {
    const unknown = await firebreak.as('viewer').get('/v1/incidents/inc-000000000000');
    expect(unknown.status).toBe(404);
    const notAnId = await firebreak.as('viewer').get('/v1/incidents/anything-else');
    expect(notAnId.status).toBe(404);
  });
});
