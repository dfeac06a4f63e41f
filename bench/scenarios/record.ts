/**
 * Scenario: the lasting record at size. Seeds 100,000 incidents over one year (each with an
 * alert, a note and, when resolved, a postmortem) into the embedded PGlite (its own process,
 * as `npm start` runs it) and into a throw-away PostgreSQL (scripts/postgres.mjs), then times
 * the record's two heavy reads through the code the API runs: a `?q=` search (a page of 50,
 * newest first) and a one-year weekly response report grouped by service. Targets (issue):
 * search p99 ≤ 100 ms, report p99 ≤ 200 ms, on both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { incidentRecordInput } from '../../record/projection';
import { RecordStore } from '../../record/store';
import { SEARCH_CONFIG } from '../../record/writes';
import { type Summary, summarize } from '../lib/stats';

export interface RecordOptions {
  incidents: number;
  /** Timed searches and reports per server, after `warmup` untimed ones. */
  searches: number;
  reports: number;
  warmup: number;
}

export interface RecordServerResult {
  server: 'pglite' | 'postgresql';
  seed_seconds: number;
  /** One incident written through the projection (recordIncident), on the seeded record. */
  write_ms: Summary;
  search_ms: Summary;
  search_hits_mean: number;
  report_ms: Summary;
  report_buckets: number;
  met: boolean;
}

export interface RecordResult {
  options: RecordOptions;
  targets: { search_p99_ms: number; report_p99_ms: number };
  servers: RecordServerResult[];
}

const TARGETS = { search_p99_ms: 100, report_p99_ms: 200 };
const YEAR_START = Date.UTC(2025, 0, 6);
const SERVICES = Array.from({ length: 20 }, (_, index) => `service-${index}`);
const ALERTS = Array.from({ length: 100 }, (_, index) => `Alert${index}`);

/** A deterministic word list: searches hit a few hundred incidents each, as a real team's would. */
function vocabulary(size: number): string[] {
  const syllables = ['ka', 'ro', 'mi', 'tu', 'sel', 'dor', 'vin', 'pa', 'le', 'gor', 'ni', 'zu'];
  return Array.from({ length: size }, (_, index) => {
    let word = '';
    for (let n = index + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
    return `${word}x`;
  });
}

/** A small deterministic generator, so both servers get the same incidents. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function seed(store: RecordStore, count: number, log: (line: string) => void): Promise<void> {
  await store.ensureReady();
  const words = vocabulary(2_000);
  const next = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const batch = 1_000;
  for (let start = 0; start < count; start += batch) {
    const incidents: Array<Record<string, unknown>> = [];
    const events: Array<Record<string, unknown>> = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      const opened = YEAR_START + Math.floor(next() * 364 * 86_400_000);
      const ack = next() < 0.9 ? next() * 1_800 : null;
      const ttr = next() < 0.8 ? 600 + next() * 20_000 : null;
      const title = `${pick(words)} ${pick(words)} ${pick(words)} on ${pick(SERVICES)}`;
      const id = `inc-bench-${index}`;
      const service = pick(SERVICES);
      const alert = pick(ALERTS);
      const note = `${pick(words)} ${pick(words)} ${pick(words)} ${pick(words)}`;
      incidents.push({
        id,
        title,
        status: ttr === null ? 'acknowledged' : 'closed',
        severity: pick(['SEV1', 'SEV2', 'SEV3', 'SEV4']),
        service,
        route: 'default',
        opened_at: new Date(opened).toISOString(),
        acknowledged_at: ack === null ? null : new Date(opened + ack * 1000).toISOString(),
        resolved_at: ttr === null ? null : new Date(opened + ttr * 1000).toISOString(),
        opened_by: 'alertmanager',
        alert_count: 1,
        last_seq: 1,
        postmortem: ttr === null ? null : `# Postmortem\n\n${pick(words)} ${pick(words)} caused ${alert}.`,
        tta_seconds: ack,
        ttr_seconds: ttr,
        search_text: `${alert} ${service} ${note}`,
      });
      events.push(
        { incident_id: id, seq: 0, at: new Date(opened).toISOString(), kind: 'alert', actor: 'alertmanager', summary: `Alert firing: ${alert}`, details: JSON.stringify({ source: 'alertmanager', status: 'firing', labels: { alertname: alert, service } }) },
        { incident_id: id, seq: 1, at: new Date(opened + 60_000).toISOString(), kind: 'note', actor: 'ops', summary: note, details: null },
      );
    }
    // Bulk rows, with the search document built as the projection builds it (same weights and configuration).
    await store.db.transaction().execute(async (trx) => {
      const config = sql.lit(SEARCH_CONFIG);
      await sql`
        INSERT INTO incidents (id, title, status, severity, service, route, opened_at, acknowledged_at, resolved_at, opened_by, alert_count, last_seq, postmortem, postmortem_seq, tta_seconds, ttr_seconds, search)
        SELECT r.id, r.title, r.status, r.severity, r.service, r.route, r.opened_at, r.acknowledged_at, r.resolved_at, r.opened_by, r.alert_count, r.last_seq, r.postmortem, 1, r.tta_seconds, r.ttr_seconds,
          setweight(to_tsvector(${config}, r.title), 'A') || setweight(to_tsvector(${config}, r.search_text), 'B') || setweight(to_tsvector(${config}, coalesce(r.postmortem, '')), 'D')
        FROM jsonb_to_recordset(${JSON.stringify(incidents)}::jsonb) AS r(id text, title text, status text, severity text, service text, route text, opened_at timestamptz, acknowledged_at timestamptz, resolved_at timestamptz, opened_by text, alert_count int, last_seq int, postmortem text, tta_seconds float8, ttr_seconds float8, search_text text)
        ON CONFLICT (id) DO NOTHING`.execute(trx);
      await sql`
        INSERT INTO incident_events (incident_id, seq, at, kind, actor, summary, details)
        SELECT r.incident_id, r.seq, r.at, r.kind, r.actor, r.summary, r.details::jsonb
        FROM jsonb_to_recordset(${JSON.stringify(events)}::jsonb) AS r(incident_id text, seq int, at timestamptz, kind text, actor text, summary text, details text)
        ON CONFLICT DO NOTHING`.execute(trx);
    });
    if ((start / batch) % 20 === 0) log(`  seeded ${Math.min(count, start + batch)} incidents`);
  }
  // The steady state: PostgreSQL's autovacuum, or the embedded server's periodic VACUUM, has run.
  await sql`VACUUM (ANALYZE) incidents`.execute(store.db);
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

async function measure(server: RecordServerResult['server'], url: string, options: RecordOptions, log: (line: string) => void): Promise<RecordServerResult> {
  const store = RecordStore.connect(url, { statementTimeoutMs: 60_000 });
  try {
    const seeded = await time(() => seed(store, options.incidents, log));
    const words = vocabulary(2_000);
    const writes: number[] = [];
    for (let index = 0; index < 50; index++) {
      const input = incidentRecordInput(
        {
          id: `inc-bench-write-${index}`, title: `${words[index]} written through the projection`, status: 'acknowledged', severity: 'SEV2', service: SERVICES[index % 20],
          openedAt: new Date(YEAR_START + index * 3_600_000).toISOString(), acknowledgedAt: new Date(YEAR_START + index * 3_600_000 + 60_000).toISOString(), openedBy: 'bench',
          metrics: {}, roles: { investigators: [] }, alertCount: 0, firingAlerts: 0, alerts: [], actionItems: [], escalation: { state: 'idle', level: 0, round: 0, pages: 0 }, runbooks: [],
          timeline: [{ at: new Date(YEAR_START).toISOString(), kind: 'note', actor: 'bench', summary: `${words[index + 1]} ${words[index + 2]}` }], continuedAsNew: 0,
        },
        0,
      );
      writes.push((await time(() => store.recordIncident(input))).ms);
    }
    const queries = Array.from({ length: options.warmup + options.searches }, (_, index) =>
      index % 4 === 0 ? `${words[(index * 37) % 2_000]} ${words[(index * 91) % 2_000]}` : index % 4 === 1 ? ALERTS[index % 100] : words[(index * 53) % 2_000],
    );
    const searches: number[] = [];
    let hits = 0;
    for (const [index, q] of queries.entries()) {
      const { ms, value } = await time(() => store.listIncidents({ q, sort: 'opened', order: 'desc', pageSize: 50 }));
      if (index >= options.warmup) {
        searches.push(ms);
        hits += value.incidents.length;
      }
    }
    const reports: number[] = [];
    let buckets = 0;
    const range = { from: new Date(YEAR_START).toISOString(), to: new Date(YEAR_START + 364 * 86_400_000).toISOString() };
    for (let index = 0; index < options.warmup + options.reports; index++) {
      const { ms, value } = await time(() => store.responseReport({ ...range, by: 'service', interval: 'week' }));
      if (index >= options.warmup) reports.push(ms);
      buckets = value.length;
    }
    const search = summarize(searches);
    const report = summarize(reports);
    return {
      server,
      seed_seconds: Math.round(seeded.ms / 100) / 10,
      write_ms: summarize(writes),
      search_ms: search,
      search_hits_mean: Math.round((hits / Math.max(1, searches.length)) * 10) / 10,
      report_ms: report,
      report_buckets: buckets,
      met: search.p99 <= TARGETS.search_p99_ms && report.p99 <= TARGETS.report_p99_ms,
    };
  } finally {
    await store.close();
  }
}

/** Starts a child and resolves with the first stdout line `match` accepts. */
export function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, match: (line: string) => string | undefined): Promise<{ child: ChildProcess; value: string }> {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const value = match(line);
      if (value) resolve({ child, value });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before it was ready`)));
  });
}

export async function stopChild(child: ChildProcess, how: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  how();
  await exited;
}

/** The embedded record server (compiled record/embedded-server.js) on `dir`: answers its URL once it serves. */
export function startEmbeddedRecord(embeddedServer: string, dir: string): Promise<{ child: ChildProcess; value: string }> {
  return startChild(process.execPath, [embeddedServer], { ...process.env, RECORD_DIR: dir }, (line) => /ready at (\S+)/.exec(line)?.[1]);
}

/**
 * Runs the scenario. `root` is the repository; `embeddedServer` the compiled
 * record/embedded-server.js (the bench runs compiled code).
 */
export async function recordScenario(root: string, embeddedServer: string, options: RecordOptions, log: (line: string) => void): Promise<RecordResult> {
  const servers: RecordServerResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-record-'));
  try {
    log(`record: PGlite (embedded, its own process), ${options.incidents} incidents`);
    const pglite = await startEmbeddedRecord(embeddedServer, dir);
    try {
      servers.push(await measure('pglite', pglite.value, options, log));
    } finally {
      await stopChild(pglite.child, () => pglite.child.kill('SIGTERM'));
    }
    log('record: PostgreSQL (scripts/postgres.mjs)');
    const postgres = await startChild(process.execPath, [join(root, 'scripts', 'postgres.mjs'), '--serve'], process.env, (line) => {
      try {
        return (JSON.parse(line) as { url?: string }).url;
      } catch {
        return undefined;
      }
    });
    try {
      servers.push(await measure('postgresql', postgres.value, options, log));
    } finally {
      await stopChild(postgres.child, () => postgres.child.stdin?.end('stop\n'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { options, targets: TARGETS, servers };
}
