/**
 * The console's lists: runbook executions through Temporal visibility (the search attributes
 * and memo each run publishes) with their filters and pages, and every heartbeat monitor.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

type Item = { id: string; status: string; runbookId: string; pendingApproval: unknown } & Record<string, unknown>;

describe('GET /v1/executions', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });
  const list = async (query: string) => {
    const answer = await e2e.viewer.get(`/v1/executions?${query}`);
    expect(answer.status).toBe(200);
    return answer.body as { executions: Item[]; nextCursor: string | null };
  };
  /**
   * Waits until the list for `query` holds exactly `ids` (visibility follows a moment behind),
   * and each finished one has closed (a run publishes its final status just before it closes).
   */
  const listed = (query: string, ids: string[]) =>
    waitFor(`GET /v1/executions?${query} to list ${ids.join(', ') || 'nothing'}`, async () => {
      const page = await list(query);
      const got = page.executions.map((item) => item.id).sort();
      const closed = page.executions.every((item) => ['running', 'waiting-approval', 'compensating'].includes(item.status) || item.endedAt);
      return closed && JSON.stringify(got) === JSON.stringify([...ids].sort()) ? page.executions : undefined;
    });
  /** Launches as a responder, or as a commander for runbooks only commanders may launch (the status page is public). */
  const launch = async (name: string, body: Record<string, unknown>, as: 'responder' | 'commander' = 'responder') => {
    const answer = await e2e.firebreak.as(as).post(`/v1/runbooks/${name}/executions`, body);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };

  let incidentId: string;
  let waiting: string;
  let done: string;
  let planned: string;

  beforeAll(async () => {
    incidentId = (await e2e.responder.post('/v1/incidents', { title: 'executions list', severity: 'SEV3', service: `list-${randomUUID().slice(0, 8)}` })).body.id;
    waiting = await launch('approval-demo', { input: { approvers: ['admin'] }, incidentId });
    done = await launch('status-page-update', { input: { stage: 'identified', service: 'checkout' }, incidentId }, 'commander');
    planned = await launch('major-incident-kickoff', { input: { title: 'Checkout down', service: 'checkout' }, incidentId, dryRun: true });
  });

  it('lists an incident\'s executions with their runbook, status, launch and approval', async () => {
    await listed(`incidentId=${incidentId}&status=completed`, [done, planned]);
    const items = await listed(`incidentId=${incidentId}`, [waiting, done, planned]);
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(waiting)).toEqual({
      id: waiting,
      runbookId: 'approval-demo',
      title: 'Approval demo',
      status: 'waiting-approval',
      dryRun: false,
      incidentId,
      launchedBy: 'alertmanager',
      startedAt: expect.any(String),
      pendingApproval: { prompt: 'Proceed with the risky step?', approvers: ['admin'], requestedAt: expect.any(String), expiresAt: expect.any(String) },
    });
    expect(byId.get(done)).toMatchObject({ runbookId: 'status-page-update', status: 'completed', dryRun: false, endedAt: expect.any(String), pendingApproval: null });
    expect(byId.get(planned)).toMatchObject({ runbookId: 'major-incident-kickoff', title: 'Major incident kickoff', dryRun: true, status: 'completed' });
    expect(Date.parse(byId.get(done)!.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(byId.get(done)!.startedAt as string));
    // Running ones first.
    expect(items[0].id).toBe(waiting);
  });

  it('filters by runbook, status and awaiting approval', async () => {
    await listed(`incidentId=${incidentId}&awaitingApproval=true`, [waiting]);
    await listed(`incidentId=${incidentId}&status=waiting-approval`, [waiting]);
    await listed(`incidentId=${incidentId}&awaitingApproval=false`, [done, planned]);
    await listed(`incidentId=${incidentId}&runbook=status-page-update`, [done]);
    await listed(`runbook=approval-demo&awaitingApproval=true&incidentId=${incidentId}`, [waiting]);
    await listed(`incidentId=${incidentId}&status=failed`, []);
    // Without an incident filter: this deployment's runs, the waiting one among them.
    const everything = await waitFor('the waiting run in the whole list', async () => {
      const page = await list('awaitingApproval=true');
      return page.executions.some((item) => item.id === waiting) ? page.executions : undefined;
    });
    expect(everything.every((item) => item.status === 'waiting-approval')).toBe(true);
  });

  it('pages with a cursor that only works for its own filters', async () => {
    await listed(`incidentId=${incidentId}`, [waiting, done, planned]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`incidentId=${incidentId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.executions.length).toBeLessThanOrEqual(2);
      seen.push(...page.executions.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 5);
    expect(seen.sort()).toEqual([waiting, done, planned].sort());

    const first = await list(`incidentId=${incidentId}&limit=1`);
    expect(first.nextCursor).toEqual(expect.any(String));
    const elsewhere = await e2e.viewer.get(`/v1/executions?limit=1&cursor=${first.nextCursor}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.issues).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });

  it('follows a decision: approved, the run is listed completed with nothing pending', async () => {
    expect((await e2e.firebreak.as('admin').post(`/v1/executions/${waiting}/approve`, { comment: 'go' })).status).toBe(200);
    const [item] = await listed(`incidentId=${incidentId}&runbook=approval-demo&status=completed`, [waiting]);
    expect(item.pendingApproval).toBeNull();
    await listed(`incidentId=${incidentId}&awaitingApproval=true`, []);
  });

  it('lists a cancelled run as cancelled', async () => {
    const cancelled = await launch('approval-demo', { input: {}, incidentId });
    await listed(`incidentId=${incidentId}&awaitingApproval=true`, [cancelled]);
    expect((await e2e.responder.post(`/v1/executions/${cancelled}/cancel`)).status).toBe(202);
    const [item] = await listed(`incidentId=${incidentId}&status=cancelled`, [cancelled]);
    expect(item).toMatchObject({ status: 'cancelled', endedAt: expect.any(String), pendingApproval: null });
  });

  it('lists a run stopped from outside Firebreak as failed, though it last published waiting-approval', async () => {
    const stopped = await launch('approval-demo', { input: {}, incidentId });
    await listed(`incidentId=${incidentId}&awaitingApproval=true`, [stopped]);
    const temporal = new Client({ connection: await Connection.connect({ address: e2e.firebreak.config.temporal.address }) });
    try {
      await temporal.workflow.getHandle(stopped).terminate('stopped by an operator');
    } finally {
      await temporal.connection.close();
    }
    const [item] = await listed(`incidentId=${incidentId}&status=failed`, [stopped]);
    expect(item).toMatchObject({ status: 'failed', pendingApproval: null });
    await listed(`incidentId=${incidentId}&awaitingApproval=true`, []);
  });

  it('refuses bad filters with 400 naming the field, and anyone without a key', async () => {
    const cases: Array<[string, string]> = [
      ['status=bogus', 'status'],
      ['runbook=Not A Runbook', 'runbook'],
      ['incidentId=inc-nothex', 'incidentId'],
      ['awaitingApproval=yes', 'awaitingApproval'],
      ['awaitingApproval=true&status=completed', 'awaitingApproval'],
      ['awaitingApproval=false&status=waiting-approval', 'awaitingApproval'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=not*a*cursor', 'cursor'],
      ['cursor=AAAA', 'cursor'],
      ['colour=red', '(body)'],
    ];
    for (const [query, path] of cases) {
      const answer = await e2e.viewer.get(`/v1/executions?${query}`);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    }
    expect((await e2e.firebreak.http.get('/v1/executions')).status).toBe(401);
  });
});

describe('GET /v1/heartbeats', () => {
  const suffix = randomUUID().slice(0, 8);
  const pinged = `list-pinged-${suffix}`;
  const silent = `list-silent-${suffix}`;
  const e2e = useTestFirebreak({
    operator: testOperatorConfig({
      heartbeats: [
        { name: pinged, intervalSeconds: 3600, graceSeconds: 600, service: 'batch', senders: ['alertmanager'] },
        { name: silent, intervalSeconds: 60, graceSeconds: 30, service: 'batch', senders: ['alertmanager'] },
      ],
    }),
  });

  it('lists every monitor with its state, as GET /v1/heartbeats/:name gives it', async () => {
    expect((await e2e.responder.post(`/v1/heartbeats/${pinged}`)).status).toBe(202);
    const { body } = await waitFor('the ping in the list', async () => {
      const answer = await e2e.viewer.get('/v1/heartbeats');
      return answer.body.heartbeats?.[0]?.pings === 1 ? answer : undefined;
    });
    expect(body.heartbeats).toEqual([
      {
        name: pinged,
        pings: 1,
        lastPingAt: expect.any(String),
        incidentsDeclared: 0,
        intervalSeconds: 3600,
        graceSeconds: 600,
        deadlineAt: expect.any(String),
      },
      { name: silent, pings: 0, incidentsDeclared: 0, intervalSeconds: 60, graceSeconds: 30 },
    ]);
    const [first] = body.heartbeats;
    expect(Date.parse(first.deadlineAt) - Date.parse(first.lastPingAt)).toBe(4200 * 1000);
    expect((await e2e.viewer.get(`/v1/heartbeats/${pinged}`)).body).toEqual(first);
    expect((await e2e.firebreak.http.get('/v1/heartbeats')).status).toBe(401);
  });
});
