import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { RecordStore } from '../../../record/store';
import { BODY_LIMITS } from '../src/app';
import { recordServerKinds, type RecordTestServer } from '../../../record/testing/servers';
import { TEST_KEY_NAMES, TEST_KEYS, TestFirebreak } from '../../../test/firebreak';
import type { HttpClient } from '../../../test/http';
import { testOperatorConfig } from '../../../test/operator';
import { startSlackStub } from '../../../test/vendors/slack';
import { waitFor } from '../../../test/wait';
import { commandBody, SLACK_OPERATOR, SLACK_USERS, slackHeaders, startSlackApi, triggerId } from './slack-requests';

interface Entry {
  id: string;
  entryId: string;
  principal?: string;
  role?: string;
  via: string;
  method: string;
  route?: string;
  target?: string;
  action?: string;
  outcome: string;
  status: number;
  requestId?: string;
  sourceIp?: string;
  details?: Record<string, string>;
}

describe.each(recordServerKinds())('the audit log on $name', (kind) => {
  let server: RecordTestServer;
  let store: RecordStore;
  let firebreak: TestFirebreak;
  let dataDir: string;
  let admin: HttpClient;
  let responder: HttpClient;
  let viewer: HttpClient;
  let run = 0;
  const requestId = (what: string) => `audit-${kind.name}-${what}-${++run}`;

  beforeAll(async () => {
    server = await kind.start();
    store = RecordStore.connect(server.url);
    dataDir = mkdtempSync(join(tmpdir(), 'firebreak-audit-'));
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig(), env: { DATABASE_URL: server.url, DATA_DIR: dataDir } });
    admin = firebreak.as('admin');
    responder = firebreak.as('responder');
    viewer = firebreak.as('viewer');
  }, 120_000);
  afterAll(async () => {
    await firebreak?.stop();
    await store?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The entries of one request id, once there are `count` of them. */
  const entriesOf = (id: string, count = 1) =>
    waitFor(`the audit entry of ${id}`, async () => {
      const rows = await store.db.withTables<{ audit_log: { request_id: string; entry_id: string } }>().selectFrom('audit_log').select('entry_id').where('request_id', '=', id).execute();
      if (rows.length < count) return undefined;
      const page = await admin.get(`/v1/audit?limit=1000&since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
      return (page.body.entries as Entry[]).filter((entry) => entry.requestId === id);
    }, { timeoutMs: 30_000 });

  const declare = async (title: string) => {
    const declared = await responder.post('/v1/incidents', { title, severity: 'SEV3', service: `audit-${kind.name}` });
    expect(declared.status).toBe(201);
    return declared.body.id as string;
  };

  it('records an allowed action and refused ones with who, what, on what, the request id and the address', async () => {
    const id = await declare('Audited otter outage');
    const allowed = requestId('allowed');
    expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' }, { 'x-request-id': allowed })).status).toBe(200);
    const [entry] = await entriesOf(allowed);
    expect(entry).toMatchObject({
      principal: TEST_KEY_NAMES.responder,
      role: 'responder',
      via: 'api',
      method: 'POST',
      route: '/v1/incidents/:id/actions',
      target: id,
      action: 'acknowledge',
      outcome: 'allowed',
      status: 200,
      requestId: allowed,
      sourceIp: expect.stringMatching(/127\.0\.0\.1/),
    });

    const forbidden = requestId('viewer');
    expect((await viewer.post(`/v1/incidents/${id}/actions`, { action: 'resolve' }, { 'x-request-id': forbidden })).status).toBe(403);
    expect((await entriesOf(forbidden))[0]).toMatchObject({
      principal: TEST_KEY_NAMES.viewer,
      role: 'viewer',
      route: '/v1/incidents/:id/actions',
      target: id,
      action: 'resolve',
      outcome: 'refused',
      status: 403,
      requestId: forbidden,
      sourceIp: expect.stringMatching(/127\.0\.0\.1/),
    });

    const unknown = requestId('unknown-key');
    const stranger = firebreak.http.as('not-a-configured-key-0123456789abcdefghij');
    expect((await stranger.post(`/v1/incidents/${id}/actions`, { action: 'close' }, { 'x-request-id': unknown })).status).toBe(401);
    const [refused] = await entriesOf(unknown);
    expect(refused).toMatchObject({ outcome: 'refused', status: 401, target: id, action: 'close', details: { credentials: 'unknown' } });
    expect(refused.principal).toBeUndefined();
    expect(JSON.stringify(refused)).not.toContain('not-a-configured-key');

    // A refused read is recorded too; an allowed one is not.
    const read = requestId('read');
    expect((await viewer.get('/v1/audit', { 'x-request-id': read })).status).toBe(403);
    expect((await entriesOf(read))[0]).toMatchObject({ method: 'GET', route: '/v1/audit', outcome: 'refused', principal: TEST_KEY_NAMES.viewer });

    const cli = requestId('cli');
    expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: 'from the terminal' }, { 'x-request-id': cli, 'user-agent': 'firebreak-cli/1.0.0' })).status).toBe(200);
    expect((await entriesOf(cli))[0]).toMatchObject({ via: 'cli', action: 'add-note' });

    const failed = requestId('failed');
    expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'fly' }, { 'x-request-id': failed })).status).toBe(400);
    expect((await entriesOf(failed))[0]).toMatchObject({ outcome: 'failed', status: 400 });

    // A body over its limit is refused before any route reads it: recorded all the same, once.
    const tooLarge = requestId('too-large');
    const huge = JSON.stringify({ summary: 'x'.repeat(BODY_LIMITS.genericAlert) });
    expect((await responder.post('/v1/alerts', huge, { 'content-type': 'application/json', 'x-request-id': tooLarge })).status).toBe(413);
    const [refusedBody, ...again] = await entriesOf(tooLarge);
    expect(refusedBody).toMatchObject({ method: 'POST', outcome: 'failed', status: 413, requestId: tooLarge, sourceIp: expect.stringMatching(/127\.0\.0\.1/) });
    expect(again).toEqual([]);
  }, 90_000);

  it('refuses UPDATE, DELETE and TRUNCATE in the database, and prunes only through its retention function', async () => {
    await store.ensureReady();
    const changes = [
      sql`UPDATE audit_log SET outcome = 'allowed'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
    ];
    const before = await sql<{ count: string }>`SELECT count(*)::text AS count FROM audit_log`.execute(store.db);
    for (const change of changes) await expect(change.execute(store.db)).rejects.toThrow(/append-only/);
    const after = await sql<{ count: string }>`SELECT count(*)::text AS count FROM audit_log`.execute(store.db);
    expect(after.rows[0].count).toBe(before.rows[0].count);

    const pruned = await sql<{ pruned: string }>`SELECT audit_log_prune('2000-01-01T00:00:00Z')::text AS pruned`.execute(store.db);
    expect(pruned.rows[0].pruned).toBe('0');
    // The trigger is back on once the function returns.
    await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
  });

  it('spools entries while the record is down, answers every request meanwhile, and replays them once, after it is back', async () => {
    const id = await declare('Audited while the record sleeps');
    const ids = [requestId('outage-a'), requestId('outage-b'), requestId('outage-c')];
    await server.pause();
    try {
      for (const each of ids) {
        expect((await responder.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: each }, { 'x-request-id': each })).status).toBe(200);
      }
      await waitFor('the entries to be spooled', () => readdirSync(dataDir).some((name) => name.startsWith('audit-spool')), { timeoutMs: 30_000 });
      const down = await admin.get('/v1/audit');
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.resume();
    }
    for (const each of ids) expect(await entriesOf(each)).toHaveLength(1);
    await waitFor('the spool to be emptied', () => !readdirSync(dataDir).some((name) => name.startsWith('audit-spool')), { timeoutMs: 30_000 });
    const rows = await sql<{ request_id: string; n: string }>`SELECT request_id, count(*)::text AS n FROM audit_log WHERE request_id IN (${sql.join(ids)}) GROUP BY request_id`.execute(store.db);
    expect(rows.rows.map((row) => row.n)).toEqual(['1', '1', '1']);
    expect(existsSync(join(dataDir, 'audit-spool.jsonl'))).toBe(false);
  }, 120_000);

  it('filters, pages newest first and exports JSON lines', async () => {
    const id = await declare('Audited filters');
    const since = new Date(Date.now() - 1_000).toISOString();
    const notes = [requestId('page-1'), requestId('page-2'), requestId('page-3')];
    for (const each of notes) await responder.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: each }, { 'x-request-id': each });
    await viewer.post(`/v1/incidents/${id}/actions`, { action: 'close' });
    await entriesOf(notes[2]);
    await waitFor('the refusal to be written', async () => (await admin.get(`/v1/audit?target=${id}&outcome=refused`)).body.entries?.length === 1);

    const first = await admin.get(`/v1/audit?target=${id}&principal=${TEST_KEY_NAMES.responder}&since=${encodeURIComponent(since)}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.entries.map((entry: Entry) => entry.requestId)).toEqual([notes[2], notes[1]]);
    const second = await admin.get(`/v1/audit?target=${id}&principal=${TEST_KEY_NAMES.responder}&since=${encodeURIComponent(since)}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.entries.map((entry: Entry) => entry.requestId)).toEqual([notes[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    const refused = await admin.get(`/v1/audit?target=${id}&outcome=refused`);
    expect(refused.body.entries).toEqual([expect.objectContaining({ principal: TEST_KEY_NAMES.viewer, action: 'close' })]);
    const later = await admin.get(`/v1/audit?target=${id}&until=${encodeURIComponent(since)}`);
    expect(later.body.entries).toEqual([]);

    const asks: Array<{ path: string; headers: Record<string, string> }> = [{ path: `/v1/audit?target=${id}&format=jsonl`, headers: {} }, { path: `/v1/audit?target=${id}`, headers: { accept: 'application/x-ndjson' } }];
    for (const ask of asks) {
      // Read as text: the test client would parse any *json answer as one document.
      const exported = await fetch(`${firebreak.http.baseUrl}${ask.path}`, { headers: { authorization: `Bearer ${TEST_KEYS.admin}`, ...ask.headers } });
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toMatch(/application\/x-ndjson/);
      const lines = (await exported.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as Entry);
      expect(lines.map((entry) => entry.action)).toEqual(['close', 'add-note', 'add-note', 'add-note']);
      expect(lines.filter((entry) => entry.outcome === 'allowed' && entry.action === 'add-note')).toHaveLength(3);
    }
  }, 60_000);

  it('records Slack commands with the Slack user, the principal they act as and the command, refusals included', async () => {
    const slack = await startSlackStub();
    const { app, api } = await startSlackApi(firebreak, SLACK_OPERATOR, slack.stub.url);
    try {
      const send = async (user: string, text: string) => {
        const id = requestId('slack');
        const body = commandBody({ command: '/incident', text, user_id: user, channel_id: 'C0AUDIT01', response_url: slack.responseUrl('commands'), trigger_id: triggerId() });
        const answer = await api.post('/v1/chat/slack/commands', body, { ...slackHeaders(body), 'x-request-id': id });
        expect(answer.status).toBe(200);
        return (await entriesOf(id))[0];
      };
      expect(await send(SLACK_USERS.viewer, 'declare SEV3 The viewer tries')).toMatchObject({
        via: 'slack', principal: 'watcher', role: 'viewer', action: '/incident declare', outcome: 'refused', status: 200, route: '/v1/chat/slack/commands', details: { slackUser: SLACK_USERS.viewer },
      });
      expect(await send(SLACK_USERS.stranger, 'declare SEV3 A stranger tries')).toMatchObject({ via: 'slack', outcome: 'refused', details: { slackUser: SLACK_USERS.stranger } });
      expect(await send(SLACK_USERS.admin, 'declare SEV3 The admin may')).toMatchObject({ via: 'slack', principal: 'ops-admin', role: 'admin', action: '/incident declare', outcome: 'allowed' });
    } finally {
      await app.close();
      await slack.stub.stop();
    }
  }, 60_000);

  it.each([
    ['since=yesterday', 'since'],
    ['until=2026-13-01T00:00:00Z', 'until'],
    ['since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'since'],
    ['outcome=maybe', 'outcome'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['format=xml', 'format'],
    ['principal=', 'principal'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const answer = await admin.get(`/v1/audit?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toContain(parameter);
  });

  it('answers 400 naming a parameter it does not know', async () => {
    const answer = await admin.get('/v1/audit?colour=red');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.issues)).toContain('colour');
  });
});
