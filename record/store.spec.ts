import fc from 'fast-check';
import { sql } from 'kysely';
import { Client } from 'pg';
import type { IncidentSnapshot } from '../core/model/incident';
import type { TimelineEntry } from '../core/model/incident-model';
import { RecordUnavailableError } from './errors';
import { MIGRATIONS } from './migrations';
import { executionRecordInput, incidentRecordInput, type RecordIncidentInput } from './projection';
import { RecordStore } from './store';
import { alertEntry, noteEntry, snapshotOf, statusEntry } from './testing/incidents';
import { recordServerKinds, type RecordTestServer } from './testing/servers';

const STATUSES = ['triggered', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const;
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 10) + minutes * 60_000).toISOString();

/** The rows the record holds of one incident, with its id replaced, for comparing two incidents' histories. */
async function rowsOf(store: RecordStore, id: string) {
  const incident = await store.db
    .selectFrom('incidents')
    .select((eb) => [
      'title', 'summary', 'status', 'severity', 'service', 'opened_at', 'acknowledged_at', 'resolved_at', 'commander', 'alert_count',
      'last_seq', 'postmortem', 'postmortem_seq', 'tta_seconds', 'ttr_seconds', eb.cast<string>('search', 'text').as('search'),
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  const events = await store.db.selectFrom('incident_events').select(['seq', 'at', 'kind', 'actor', 'summary', 'details']).where('incident_id', '=', id).orderBy('seq').execute();
  const alerts = await store.db
    .selectFrom('incident_alerts')
    .select(['alert_key', 'alertname', 'summary', 'labels', 'first_seq', 'last_seq', 'last_status', 'deliveries'])
    .where('incident_id', '=', id)
    .orderBy('alert_key')
    .execute();
  return { incident, events, alerts };
}

describe.each(recordServerKinds())('the record on $name', (kind) => {
  let server: RecordTestServer;
  let store: RecordStore;

  beforeAll(async () => {
    server = await kind.start();
    store = RecordStore.connect(server.url);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('applies its migrations once when several processes start together, and again as a no-op', async () => {
    const others = [RecordStore.connect(server.url), RecordStore.connect(server.url), RecordStore.connect(server.url)];
    try {
      await Promise.all([store.ensureReady(), ...others.map((other) => other.ensureReady())]);
      const again = RecordStore.connect(server.url);
      await again.ensureReady();
      await again.close();
      const applied = await sql<{ name: string }>`SELECT name FROM record_migration`.execute(store.db);
      expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS));
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it('writes the same rows whatever the order, retries and replays of the writes', async () => {
    let run = 0;
    const alertNames = ['HighLatency', 'ErrorRate', 'Ж-ошибка'];
    const entryArb = fc.oneof(
      fc.record({ kind: fc.constant('alert' as const), name: fc.constantFrom(...alertNames), pod: fc.constantFrom('a', 'b'), resolved: fc.boolean() }),
      fc.record({ kind: fc.constant('note' as const), text: fc.string({ unit: 'grapheme', maxLength: 40 }) }),
      fc.record({ kind: fc.constant('status' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 0, max: 5 }),
        async (shapes, cuts, extra, windowStart) => {
          run += 1;
          const timeline: TimelineEntry[] = shapes.map((shape, index) =>
            shape.kind === 'alert'
              ? alertEntry(at(index), `${shape.name} on ${shape.pod}`, { alertname: shape.name, pod: shape.pod }, shape.resolved ? 'resolved' : 'firing')
              : shape.kind === 'note'
                ? noteEntry(at(index), `note ${shape.text}`)
                : statusEntry(at(index), `status change ${index}`),
          );
          // The incident as it stood after each cut: later writes carry newer fields and a new postmortem.
          const ends = [...new Set([...cuts.filter((cut) => cut < timeline.length), timeline.length])].sort((a, b) => a - b);
          const writesFor = (id: string): RecordIncidentInput[] => {
            let from = 0;
            return ends.map((end, index) => {
              const start = Math.min(windowStart, Math.max(0, end - 1));
              const snapshot: IncidentSnapshot = snapshotOf({
                id,
                title: `Checkout latency ${run}`,
                status: STATUSES[Math.min(index, STATUSES.length - 1)],
                acknowledgedAt: index > 0 ? at(ends[0]) : undefined,
                resolvedAt: index > 3 ? at(ends[3]) : undefined,
                alertCount: timeline.slice(0, end).filter((entry) => entry.kind === 'alert').length,
                // A bounded window: entries before `start` have left it (written earlier, or lost).
                timeline: timeline.slice(start, end),
                timelineStart: start,
                postmortem: index > 0 ? `# Postmortem ${index}` : undefined,
              });
              const input = incidentRecordInput(snapshot, from, index > 0);
              from = end;
              return input;
            });
          };
          const once = `inc-once-${kind.name}-${run}`;
          for (const write of writesFor(once)) await store.recordIncident(write);

          const shuffled = `inc-shuffled-${kind.name}-${run}`;
          const writes = writesFor(shuffled);
          // Every write delivered at least once, in an arbitrary order, some several times.
          const deliveries = [...writes.keys(), ...extra.map((n) => n % writes.length)];
          const order = deliveries.map((index, position) => ({ index, key: (position * 7919 + (extra[position % Math.max(1, extra.length)] ?? 0)) % 101 }));
          order.sort((a, b) => a.key - b.key);
          for (const { index } of order) await store.recordIncident(writes[index]);

          expect(await rowsOf(store, shuffled)).toEqual(await rowsOf(store, once));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('finds incidents by title, alert label value, note, postmortem and multibyte text', async () => {
    const snapshot = snapshotOf({
      id: `inc-search-${kind.name}`,
      title: 'Payments gateway timeouts',
      service: 'payments',
      timeline: [
        alertEntry(at(0), 'Upstream 5xx rising', { alertname: 'UpstreamErrors', cluster: 'eu-west-quartz' }),
        noteEntry(at(1), 'Rolled back the flamingo release'),
        noteEntry(at(2), 'Зависание очереди заказов — größere Verzögerung 日本 障害'),
        noteEntry(at(3), 'NUL \u0000 and a lone \uD800 surrogate are stored as replacement characters'),
      ],
      postmortem: '# Postmortem\n\nThe certificate rotation job had expired credentials.',
    });
    await store.recordIncident(incidentRecordInput(snapshot, 0, true));
    const search = async (q: string) =>
      (await store.listIncidents({ q, sort: 'opened', order: 'desc', pageSize: 10 })).incidents.map((incident) => incident.id);

    expect(await search('gateway timeout')).toContain(snapshot.id); // stemmed: timeouts
    expect(await search('quartz')).toContain(snapshot.id); // a label value
    expect(await search('flamingo')).toContain(snapshot.id); // a note
    expect(await search('"certificate rotation"')).toContain(snapshot.id); // the postmortem, as a phrase
    expect(await search('очереди')).toContain(snapshot.id);
    expect(await search('größere')).toContain(snapshot.id);
    expect(await search('障害')).toContain(snapshot.id);
    expect(await search('flamingo -payments')).not.toContain(snapshot.id);
    expect(await search('nonexistentword')).not.toContain(snapshot.id);
    // Odd queries are words, never syntax errors.
    for (const q of ['"', '(', '!!', '&|', "'", '\\', 'a:*', '<->']) await expect(search(q)).resolves.toBeDefined();
  });

  it('computes MTTA, MTTM and MTTR per bucket as a plain calculation over the same incidents does', async () => {
    const services = ['api', 'db', 'web'];
    const base = Date.UTC(2025, 0, 6); // a Monday
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 27 }),
            service: fc.constantFrom(...services),
            ack: fc.option(fc.integer({ min: 0, max: 7_200 }), { nil: undefined }),
            mitigate: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
            resolve: fc.option(fc.integer({ min: 0, max: 90_000 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const),
        async (incidents, interval) => {
          // Each run reports on its own year, so runs do not see each other's incidents.
          const year = 3000 + (reportRun += 1);
          const shift = Date.UTC(year, 0, 1) - Date.UTC(2025, 0, 1);
          const opened = incidents.map((incident) => base + shift + incident.day * 86_400_000 + 3_600_000);
          for (const [index, incident] of incidents.entries()) {
            const openedAt = opened[index];
            const stamp = (offset: number | undefined) => (offset === undefined ? undefined : new Date(openedAt + offset * 1000).toISOString());
            await store.recordIncident(
              incidentRecordInput(
                snapshotOf({
                  id: `inc-report-${kind.name}-${year}-${index}`,
                  service: incident.service,
                  openedAt: new Date(openedAt).toISOString(),
                  acknowledgedAt: stamp(incident.ack),
                  mitigatedAt: stamp(incident.mitigate),
                  resolvedAt: stamp(incident.resolve),
                  timeline: [statusEntry(new Date(openedAt).toISOString(), 'opened')],
                }),
                0,
              ),
            );
          }
          const report = await store.responseReport({
            from: new Date(Date.UTC(year, 0, 1)).toISOString(),
            to: new Date(Date.UTC(year + 1, 0, 1)).toISOString(),
            by: 'service',
            interval,
          });
          expect(report).toEqual(expectedReport(incidents, opened, interval).map((bucket) => expect.objectContaining(bucket)));
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('reports each milestone as newly reached by exactly one write', async () => {
    const id = `inc-milestones-${kind.name}`;
    const opened = snapshotOf({ id, timeline: [statusEntry(at(0), 'opened')] });
    const acknowledged = snapshotOf({ ...opened, status: 'acknowledged', acknowledgedAt: at(2), timeline: [...opened.timeline, statusEntry(at(2), 'acknowledged')] });
    expect((await store.recordIncident(incidentRecordInput(opened, 0))).newlyReached).toEqual([]);
    const first = await store.recordIncident(incidentRecordInput(acknowledged, 1));
    expect(first).toEqual({ severity: 'SEV2', metrics: { timeToAcknowledgeSeconds: 120 }, newlyReached: ['timeToAcknowledgeSeconds'] });
    expect((await store.recordIncident(incidentRecordInput(acknowledged, 1))).newlyReached).toEqual([]); // a retry
    expect((await store.recordIncident(incidentRecordInput(opened, 0))).newlyReached).toEqual([]); // a late, older write
  });

  it('keeps the newest write of a runbook execution and reports runbooks', async () => {
    const execution = {
      id: `exec-${kind.name}-1`,
      runbookId: 'restart-pods',
      runbookVersion: 1,
      title: 'Restart pods',
      dryRun: false,
      launchedBy: 'ops',
      trigger: 'manual' as const,
      input: {},
      startedAt: '2026-02-01T10:00:00.000Z',
      steps: [],
      approvals: [],
      log: [
        { at: '2026-02-01T10:00:10.000Z', message: 'waiting for approval (admin): restart?' },
        { at: '2026-02-01T10:01:10.000Z', message: 'approved by ops' },
      ],
    };
    const running = executionRecordInput({ ...execution, status: 'running' }, 10);
    const done = executionRecordInput({ ...execution, status: 'completed', endedAt: '2026-02-01T10:02:00.000Z', outcome: { status: 'completed', undone: ['s1'] } }, 20);
    await store.recordExecution(done);
    await store.recordExecution(running); // late: ignored
    await store.recordExecution(executionRecordInput({ ...execution, id: `exec-${kind.name}-2`, status: 'failed', endedAt: '2026-02-01T10:00:30.000Z', log: [] }, 5));
    const report = await store.runbookReport({ from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z' });
    expect(report).toEqual([
      {
        runbookId: 'restart-pods',
        executions: 2,
        completed: 1,
        failed: 1,
        successRate: 0.5,
        p50DurationSeconds: 75,
        approvals: 1,
        approvalWaitSeconds: 60,
        compensations: 1,
      },
    ]);
  });

  it('lists past incidents of the same service or alert name with their runbooks and time to resolve', async () => {
    const id = (n: number) => `inc-similar-${kind.name}-${n}`;
    const write = (n: number, service: string, alertname: string, resolvedAt?: string) =>
      store.recordIncident(
        incidentRecordInput(
          snapshotOf({ id: id(n), service, openedAt: at(n), resolvedAt, timeline: [alertEntry(at(n), 'x', { alertname, n: String(n) })] }),
          0,
        ),
      );
    await write(1, 'similar-checkout', 'SimilarLatency', at(31));
    await write(2, 'similar-search', 'SimilarLatency');
    await write(3, 'similar-other', 'SimilarUnrelated');
    await write(4, 'similar-checkout', 'SimilarLatency');
    await store.recordExecution(executionRecordInput({ id: `exec-similar-${kind.name}`, runbookId: 'rollback', runbookVersion: 1, title: 'Rollback', status: 'completed', dryRun: false, incidentId: id(1), launchedBy: 'ops', trigger: 'manual', input: {}, startedAt: at(10), endedAt: at(12), steps: [], approvals: [], log: [] }, 1));
    const like = await store.similarityOf(id(4));
    const similar = await store.similarIncidents({ id: id(4), limit: 10, service: like?.service, alertnames: like?.alertnames ?? [] });
    expect(similar.map((incident) => incident.id)).toEqual([id(2), id(1)]);
    expect(similar[1]).toMatchObject({ sameService: true, sharedAlerts: ['SimilarLatency'], durationSeconds: 30 * 60, runbooks: [{ runbookId: 'rollback', status: 'completed', durationSeconds: 120 }] });
    expect(similar[0]).toMatchObject({ sameService: false, sharedAlerts: ['SimilarLatency'] });
  });

  it('answers RecordUnavailableError while the server is down, and catches up after', async () => {
    const snapshot = snapshotOf({ id: `inc-outage-${kind.name}`, timeline: [statusEntry(at(0), 'opened')] });
    await server.pause();
    try {
      const failure = await store.recordIncident(incidentRecordInput(snapshot, 0)).catch((error: unknown) => error);
      if (!(failure instanceof RecordUnavailableError)) throw failure;
      await expect(store.listIncidents({ q: 'x', sort: 'opened', order: 'desc', pageSize: 1 })).rejects.toBeInstanceOf(RecordUnavailableError);
    } finally {
      await server.resume();
    }
    await store.recordIncident(incidentRecordInput(snapshot, 0));
    expect((await store.readIncident(snapshot.id))?.timeline).toHaveLength(1);
  }, 60_000);

  it('keeps serving when a client dies in the middle of a transaction', async () => {
    // As a worker killed with SIGKILL leaves it: its connection gone, a transaction open, no Terminate sent.
    const dying = new Client({ connectionString: server.url });
    await dying.connect();
    await dying.query('BEGIN');
    await dying.query('SELECT $1::int AS n', [1]);
    const gone = new Promise((resolve) => dying.once('error', resolve).once('end', resolve));
    (dying as any).connection.stream.destroy();
    await gone;
    const answer = await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db);
    expect(answer.rows).toEqual([{ one: 1 }]);
  });
});

let reportRun = 0;

/** The percentile as percentile_cont computes it: linear between the two nearest ranks. */
function percentile(sorted: number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function expectedReport(
  incidents: Array<{ service: string; ack?: number; mitigate?: number; resolve?: number }>,
  opened: number[],
  interval: 'day' | 'week' | 'month',
) {
  const bucketOf = (time: number) => {
    const date = new Date(time);
    if (interval === 'day') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    if (interval === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return day - ((date.getUTCDay() + 6) % 7) * 86_400_000;
  };
  const groups = new Map<string, Array<{ ack?: number; mitigate?: number; resolve?: number }>>();
  incidents.forEach((incident, index) => {
    const key = `${new Date(bucketOf(opened[index])).toISOString()}|${incident.service}`;
    groups.set(key, [...(groups.get(key) ?? []), incident]);
  });
  const stats = (values: Array<number | undefined>) => {
    const present = values.filter((value): value is number => value !== undefined).sort((a, b) => a - b);
    if (present.length === 0) return { count: 0 };
    const close = (value: number) => expect.closeTo(value, 6);
    return { count: present.length, p50: close(percentile(present, 0.5)), p90: close(percentile(present, 0.9)), mean: close(present.reduce((a, b) => a + b, 0) / present.length) };
  };
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, members]) => {
      const [start, service] = key.split('|');
      return {
        start,
        key: service,
        incidents: members.length,
        mtta: stats(members.map((member) => member.ack)),
        mttm: stats(members.map((member) => member.mitigate)),
        mttr: stats(members.map((member) => member.resolve)),
      };
    });
}
