/**
 * The n8n peer (`npm run bench -- --peer=n8n`): n8n as a new user runs it, side by side with
 * Firebreak in the same run. scripts/n8n.mjs installs it (scripts/bench.mjs hands over the
 * paths); this file starts it on a throw-away PostgreSQL (scripts/postgres.mjs), imports and
 * publishes {@link n8nBenchWorkflow} (webhook → one HTTP action to the bench's
 * {@link Receiver}) and measures, interleaved with Firebreak:
 * 1. alert → first action, one alert at a time (A, B, A, B): Firebreak's `POST /v1/alerts`
 *    to the `page:<incidentId>` mark, n8n's webhook POST to the receiver having the action;
 * 2. a storm: Firebreak's (scenario 2, one round) then n8n's, the same alerts and clients;
 * 3. `kill -9` of n8n after a third of a storm's alerts were answered, n8n started again,
 *    senders retrying as a sender would: executions lost and repeated.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { now, sleep } from '../lib/clock';
import { Http } from '../lib/http';
import { alternate, pool } from '../lib/pool';
import { quantiles, ratio, round, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';
import { type AlertAnswer, firingAlert } from '../scenarios/alerts';
import { startChild, stopChild } from '../scenarios/record';
import { type StormResult, stormScenario } from '../scenarios/storm';
import { type N8nResponseMode, n8nBenchWorkflow, n8nWorkflowId, type PeerAlert } from './n8n-workflow';
import { accountDeliveries, type Delivery, Receiver } from './receiver';

/** What scripts/bench.mjs hands over (`BENCH_N8N`): scripts/n8n.mjs's `ensureN8n()`. */
export interface N8nLaunch {
  node: string;
  n8n: string;
  version: string;
  nodeVersion: string;
}

export interface N8nPeerOptions {
  latency: { samples: number; warmup: number };
  storm: { alerts: number; keys: number; concurrency: number };
  kill: { alerts: number; concurrency: number };
}

/** The webhook paths: one workflow per response mode, both published on the same n8n. */
const PATHS: Record<N8nResponseMode, string> = { lastNode: 'firebreak-bench-alert', onReceived: 'firebreak-bench-alert-early' };
/** The mode behind the latency and storm figures: its 2xx is the closest to Firebreak's 202 (see n8n-workflow.ts). */
export const N8N_RESPONSE_MODE: N8nResponseMode = 'lastNode';

/** A free port on 127.0.0.1 right now (scripts/net.mjs's `freePorts`, which this CommonJS build cannot import). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `check` until true, failing after `timeoutMs` with `what` (scripts/net.mjs's `until`). */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

/** `BENCH_N8N_ENV`: n8n settings to add or override, as a JSON object of strings. */
function n8nOverrides(): Record<string, string> {
  const overrides = JSON.parse(process.env.BENCH_N8N_ENV ?? '{}') as Record<string, unknown>;
  return Object.fromEntries(Object.entries(overrides).map(([name, value]) => [name, String(value)]));
}

const hasSetpriv = () => spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig') ?? false;

/** n8n on its own PostgreSQL, with the bench's two workflows imported and published. */
export class N8nPeer {
  private process?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  readonly http: Http;
  private readonly guard = hasSetpriv();
  /** How long the first `n8n start` took until its webhook answered (ms). */
  firstStartMs = 0;

  private constructor(
    private readonly launch: N8nLaunch,
    private readonly postgres: ChildProcess,
    private readonly databaseUrl: string,
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly folder: string,
    private readonly log: (line: string) => void,
  ) {
    this.http = new Http('127.0.0.1', port, '', 256);
  }

  /** The path n8n serves the workflow of `mode` on. */
  static webhook(mode: N8nResponseMode): string {
    return `/webhook/${PATHS[mode]}`;
  }

  static async start(launch: N8nLaunch, root: string, receiverUrl: string, log: (line: string) => void): Promise<N8nPeer> {
    const postgres = await startChild(process.execPath, [join(root, 'scripts', 'postgres.mjs'), '--serve'], process.env, (line) => {
      try {
        return (JSON.parse(line) as { url?: string }).url;
      } catch {
        return undefined;
      }
    });
    const folder = mkdtempSync(join(tmpdir(), 'firebreak-bench-n8n-'));
    try {
      const db = new URL(postgres.value);
      // n8n's task broker listens on 5679 by default: both ports free ones, so another n8n on the machine does not matter.
      const port = await freePort();
      let brokerPort = await freePort();
      while (brokerPort === port) brokerPort = await freePort();
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: folder,
        N8N_USER_FOLDER: folder,
        N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64url'),
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: db.hostname,
        DB_POSTGRESDB_PORT: db.port,
        DB_POSTGRESDB_DATABASE: decodeURIComponent(db.pathname.slice(1)),
        DB_POSTGRESDB_USER: decodeURIComponent(db.username),
        DB_POSTGRESDB_PASSWORD: decodeURIComponent(db.password),
        N8N_HOST: '127.0.0.1',
        N8N_LISTEN_ADDRESS: '127.0.0.1',
        N8N_PORT: String(port),
        N8N_RUNNERS_BROKER_PORT: String(brokerPort),
        N8N_LOG_LEVEL: 'warn',
        // Headless and offline: no telemetry, no calls home for versions, templates, banners or licences.
        N8N_DIAGNOSTICS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
        N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
        N8N_TEMPLATES_ENABLED: 'false',
        N8N_DYNAMIC_BANNERS_ENABLED: 'false',
        N8N_PERSONALIZATION_ENABLED: 'false',
        N8N_HIRING_BANNER_ENABLED: 'false',
        N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
        N8N_AI_GATEWAY_ENABLED: 'false',
        N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
        // The registry of MCP servers is fetched from n8n's servers at start-up.
        N8N_DISABLED_MODULES: 'mcp-registry',
        // Experiments, e.g. BENCH_N8N_ENV='{"DB_POSTGRESDB_POOL_SIZE":"10"}'; recorded with the results.
        ...n8nOverrides(),
      };
      const peer = new N8nPeer(launch, postgres.child, postgres.value, env, port, folder, log);
      const workflows = (['lastNode', 'onReceived'] as const).map((mode) =>
        n8nBenchWorkflow({ id: n8nWorkflowId(`FirebreakBench${mode}`), path: PATHS[mode], receiverUrl, responseMode: mode }),
      );
      const file = join(folder, 'workflows.json');
      writeFileSync(file, JSON.stringify(workflows));
      log(`  n8n ${launch.version} on Node ${launch.nodeVersion}: importing and publishing the workflows...`);
      await peer.cli(['import:workflow', `--input=${file}`]);
      for (const workflow of workflows) await peer.cli(['publish:workflow', `--id=${workflow.id}`]);
      peer.firstStartMs = await peer.run();
      return peer;
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      await stopChild(postgres.child, () => postgres.child.stdin?.end('stop\n'));
      throw error;
    }
  }

  private get logFile(): string {
    return join(this.folder, 'n8n.log');
  }

  private tail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** One n8n command (import, publish), to its end; bounded. */
  private async cli(args: string[]): Promise<void> {
    const out = openSync(this.logFile, 'a');
    const child = spawn(this.launch.node, [this.launch.n8n, ...args], { env: this.env, cwd: this.folder, stdio: ['ignore', out, out] });
    closeSync(out);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`n8n ${args[0]} did not finish within 300s; its log:\n${this.tail()}`));
      }, 300_000);
      child.once('exit', (exit) => (clearTimeout(timer), resolve(exit)));
    });
    if (code !== 0) throw new Error(`n8n ${args[0]} failed (code ${code}); its log:\n${this.tail()}`);
  }

  /**
   * `n8n start`, in a process group of its own (its task runner is its child, so `kill -9`
   * takes both, as a crashed container would), tied to this process's life where setpriv is
   * there; answers once the webhook does. Answers how long it took (ms).
   */
  async run(): Promise<number> {
    const started = now();
    const out = openSync(this.logFile, 'a');
    const command = [this.launch.node, this.launch.n8n, 'start'];
    const [first, ...rest] = this.guard ? ['setpriv', '--pdeathsig', 'KILL', ...command] : command;
    const child = spawn(first, rest, { env: this.env, cwd: this.folder, stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    this.process = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    await this.ready(180_000);
    return now() - started;
  }

  /**
   * Waits, bounded, until the webhook answers 200 (n8n answers 503 for a while after its
   * database pings failed under load): each phase starts on a healthy n8n.
   */
  async ready(timeoutMs: number): Promise<void> {
    const child = this.process;
    await until(
      `n8n's webhook on port ${this.port}`,
      async () => {
        if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n exited; its log:\n${this.tail()}`);
        try {
          const answer = await this.http.post(N8nPeer.webhook(N8N_RESPONSE_MODE), { id: `probe-${now()}`, key: 'probe' }, 5_000);
          return answer.status === 200;
        } catch {
          return false;
        }
      },
      timeoutMs,
      250,
    );
  }

  /** n8n's executions created since `since`, by status (`success`, `crashed`, ...), read from its database. */
  async executionStatuses(since: Date): Promise<Record<string, number>> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; count: string }>(
        'SELECT status, count(*) AS count FROM execution_entity WHERE "createdAt" >= $1 GROUP BY status',
        [since],
      );
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    } finally {
      await client.end();
    }
  }

  /** n8n's settings as run, without its secrets. */
  settings(): Record<string, string> {
    const secret = new Set(['DB_POSTGRESDB_PASSWORD', 'N8N_ENCRYPTION_KEY', 'PATH', 'HOME', 'N8N_USER_FOLDER']);
    return Object.fromEntries(Object.entries(this.env).filter(([name]) => !secret.has(name)));
  }

  /** `kill -9` of n8n and its task runner. */
  async kill(): Promise<void> {
    const pid = this.process?.pid;
    if (pid === undefined || this.process?.exitCode !== null || this.process.signalCode !== null) return;
    process.kill(-pid, 'SIGKILL');
    await this.exited;
  }

  /** CPU seconds n8n's main process has used (Linux `/proc`), NaN elsewhere. */
  cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.process?.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  }

  async stop(): Promise<void> {
    this.http.close();
    const child = this.process;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(killer);
    }
    await stopChild(this.postgres, () => this.postgres.stdin?.end('stop\n')).catch((error: unknown) => this.log(`stopping n8n's PostgreSQL: ${String(error)}`));
    rmSync(this.folder, { recursive: true, force: true });
  }
}

export interface PeerStorm {
  alerts: number;
  concurrency: number;
  seconds: number;
  status_2xx: number;
  status_5xx: number;
  /** Other statuses and requests with no answer. */
  other: number;
  accepted_per_s: number;
  ack_ms: Summary;
  /** Acknowledged alerts ÷ the time from the first sent to the last received by the receiver. */
  end_to_end_per_s: number;
  delivery: Delivery;
  settle_seconds: number;
  /** CPU milliseconds of n8n's main process per acknowledged alert, from the first sent to settled. */
  n8n_cpu_ms_per_alert: number;
  ack_quantiles_ms: number[];
}

export interface PeerKill {
  response_mode: N8nResponseMode;
  alerts: number;
  concurrency: number;
  /** Answered alerts when n8n was killed (the condition: a third of them). */
  killed_after_answered: number;
  /** From the kill to the webhook answering again (ms): n8n's start-up. */
  down_ms: number;
  attempts: number;
  retries: number;
  /** Attempts that were not answered 2xx, by what came back (no answer: connection refused or reset, timeout). */
  failed_attempts: { no_answer: number; status_5xx: number; status_404: number; status_other: number };
  /** Alerts answered 404 at least once (retried; see {@link n8nKill}). */
  met_404: number;
  /** n8n's own record of the phase: its executions by status (`crashed`: interrupted by the kill and not resumed). */
  n8n_executions: Record<string, number> | { unreadable: string };
  acknowledged: number;
  /** Given up after the senders' retry bound. */
  unacknowledged: number;
  delivery: Delivery;
  seconds: number;
}

export interface N8nPeerResult {
  n8n: string;
  node: string;
  response_mode: N8nResponseMode;
  /** What a 2xx from the webhook promises, in the mode the figures use. */
  promise: string;
  /** From nothing to the webhook answering: PostgreSQL, import, publish, `n8n start` (ms). */
  set_up_ms: number;
  /** `n8n start` → the webhook answers (ms). */
  start_ms: number;
  /** n8n's environment as run, secrets left out. */
  settings: Record<string, string>;
  latency: {
    samples: number;
    warmup: number;
    firebreak: Summary & { ack: Summary };
    n8n: Summary & { ack: Summary };
    /** n8n ÷ Firebreak. */
    ratio_p50: number;
    ratio_p99: number;
    samples_ms: { firebreak: number[]; n8n: number[] };
  };
  storm: {
    alerts: number;
    keys: number;
    concurrency: number;
    n8n: PeerStorm;
    /** n8n ÷ Firebreak (absent when Firebreak's round failed). */
    ratio_accepted?: number;
    ratio_end_to_end?: number;
  } & (FirebreakStorm | { failed: string });
  kill: PeerKill[];
}

/** Firebreak's side of the storm (scenario 2's first round), with the Temporal baseline's round for scale. */
interface FirebreakStorm {
  firebreak: {
    accepted_per_s: number;
    status_2xx: number;
    refused: number;
    ack_ms: Summary;
    end_to_end_per_s: number;
    lost: number;
    duplicated: number;
  };
  baseline: { accepted_per_s: number; end_to_end_per_s: number };
}

function firebreakStormFigures(storm: StormResult): FirebreakStorm {
  return {
    firebreak: {
      accepted_per_s: storm.firebreak.accepted_per_s,
      status_2xx: storm.firebreak.status_2xx,
      refused: storm.firebreak.status_503 + storm.firebreak.other,
      ack_ms: storm.firebreak.ack_ms,
      end_to_end_per_s: storm.end_to_end.firebreak_per_s,
      lost: storm.lost,
      duplicated: storm.duplicated,
    },
    baseline: { accepted_per_s: storm.baseline.accepted_per_s, end_to_end_per_s: storm.end_to_end.baseline_per_s },
  };
}

const PROMISES: Record<N8nResponseMode, string> = {
  lastNode:
    'the workflow has finished: the HTTP action was sent and answered. n8n does not resume an execution a crash interrupted, ' +
    'so an alert whose POST went unanswered reaches its action only if its sender retries, perhaps twice',
  onReceived: 'the execution was created and started in memory: nothing that survives n8n dying before the action',
};

/** Sends the storm to n8n once per alert (no retries: scenario 2's senders do not retry either). */
async function n8nStorm(peer: N8nPeer, receiver: Receiver, run: string, options: N8nPeerOptions['storm']): Promise<PeerStorm> {
  const acknowledged = new Set<string>();
  const unacknowledged = new Set<string>();
  const latencies: number[] = [];
  const tally = { status_2xx: 0, status_5xx: 0, other: 0 };
  const path = N8nPeer.webhook(N8N_RESPONSE_MODE);
  const cpuBefore = peer.cpuSeconds();
  const start = now();
  let end = start;
  await pool(options.alerts, options.concurrency, async (index) => {
    const alert: PeerAlert = { id: `storm-${run}-${index}`, key: `storm-${run}-${index % options.keys}` };
    const sent = now();
    let status = 0;
    try {
      status = (await peer.http.post(path, alert)).status;
    } catch {
      status = 0;
    }
    const answered = now();
    latencies.push(answered - sent);
    end = Math.max(end, answered);
    if (status >= 200 && status < 300) {
      tally.status_2xx += 1;
      acknowledged.add(alert.id);
    } else {
      if (status >= 500) tally.status_5xx += 1;
      else tally.other += 1;
      unacknowledged.add(alert.id);
    }
  });
  const seconds = (end - start) / 1000;
  const settleStart = now();
  await settle(receiver, acknowledged, 120_000);
  const settleSeconds = (now() - settleStart) / 1000;
  const delivery = accountDeliveries({ acknowledged, unacknowledged }, receiver.arrivals());
  const lastArrival = Math.max(end, receiver.lastArrivalAt());
  return {
    alerts: options.alerts,
    concurrency: options.concurrency,
    seconds: round(seconds, 3),
    ...tally,
    accepted_per_s: round(tally.status_2xx / seconds, 1),
    ack_ms: summarize(latencies),
    end_to_end_per_s: round(tally.status_2xx / ((lastArrival - start) / 1000), 1),
    delivery,
    settle_seconds: round(settleSeconds, 2),
    n8n_cpu_ms_per_alert: round(((peer.cpuSeconds() - cpuBefore) * 1000) / Math.max(1, tally.status_2xx), 2),
    ack_quantiles_ms: quantiles(latencies),
  };
}

/** Waits, bounded, until every acknowledged id has reached the receiver. */
async function settle(receiver: Receiver, acknowledged: ReadonlySet<string>, timeoutMs: number): Promise<void> {
  const missing = () => [...acknowledged].filter((id) => !receiver.firsts.has(id)).length;
  await until('acknowledged alerts at the receiver', () => missing() === 0, timeoutMs, 100).catch(() => undefined);
}

/**
 * A storm with `kill -9` of n8n once a third of the alerts were answered; n8n is started
 * again at once. Each sender retries an alert until it is answered 2xx (connection errors,
 * timeouts and 5xx are retried, after 100 ms doubling to 2 s), for up to 5 minutes. 404 is
 * retried too: n8n listens before it has registered its published webhooks, and answers 404
 * for them meanwhile; the alerts that met one are counted (a sender taking 404 as final, as
 * Firebreak's own adapters do, would have dropped them).
 */
async function n8nKill(peer: N8nPeer, receiver: Receiver, run: string, mode: N8nResponseMode, options: N8nPeerOptions['kill'], log: (line: string) => void): Promise<PeerKill> {
  const acknowledged = new Set<string>();
  const unacknowledged = new Set<string>();
  const path = N8nPeer.webhook(mode);
  let answered = 0;
  let attempts = 0;
  let killedAfter = 0;
  let downMs = 0;
  let restart: Promise<void> | undefined;
  let restartError: unknown;
  const failedAttempts = { no_answer: 0, status_5xx: 0, status_404: 0, status_other: 0 };
  const met404 = new Set<string>();
  const startedAt = new Date();
  const start = now();
  await pool(options.alerts, options.concurrency, async (index) => {
    const alert: PeerAlert = { id: `kill-${mode}-${run}-${index}`, key: `kill-${run}-${index}` };
    const giveUpAt = now() + 300_000;
    for (let delay = 100; ; delay = Math.min(2_000, delay * 2)) {
      attempts += 1;
      let status = 0;
      try {
        status = (await peer.http.post(path, alert)).status;
      } catch {
        status = 0;
      }
      if (status >= 200 && status < 300) {
        acknowledged.add(alert.id);
        break;
      }
      if (status === 0) failedAttempts.no_answer += 1;
      else if (status >= 500) failedAttempts.status_5xx += 1;
      else if (status === 404) {
        failedAttempts.status_404 += 1;
        met404.add(alert.id);
      } else failedAttempts.status_other += 1;
      const retryable = status === 0 || status === 404 || status >= 500;
      if (!retryable || now() > giveUpAt) {
        unacknowledged.add(alert.id);
        break;
      }
      await sleep(delay);
    }
    answered += 1;
    if (!restart && answered >= Math.ceil(options.alerts / 3)) {
      killedAfter = answered;
      restart = (async () => {
        const killedAt = now();
        log(`  kill -9 of n8n after ${answered} of ${options.alerts} alerts answered (${mode}); starting it again...`);
        await peer.kill();
        await peer.run();
        downMs = now() - killedAt;
      })().catch((error: unknown) => void (restartError = error));
    }
  });
  await restart;
  if (restartError) throw restartError instanceof Error ? restartError : new Error(String(restartError));
  await settle(receiver, acknowledged, 60_000);
  return {
    response_mode: mode,
    alerts: options.alerts,
    concurrency: options.concurrency,
    killed_after_answered: killedAfter,
    down_ms: Math.round(downMs),
    attempts,
    retries: attempts - options.alerts,
    failed_attempts: failedAttempts,
    met_404: met404.size,
    n8n_executions: await peer.executionStatuses(startedAt).catch((error: unknown) => ({ unreadable: String(error) })),
    acknowledged: acknowledged.size,
    unacknowledged: unacknowledged.size,
    delivery: accountDeliveries({ acknowledged, unacknowledged }, receiver.arrivals()),
    seconds: round((now() - start) / 1000, 1),
  };
}

export async function n8nPeerScenario(
  system: System,
  launch: N8nLaunch,
  root: string,
  options: N8nPeerOptions,
  log: (line: string) => void,
): Promise<N8nPeerResult> {
  const run = Date.now().toString(36);
  const receiver = await Receiver.start();
  const startedAt = now();
  const peer = await N8nPeer.start(launch, root, receiver.url, log);
  const startUpMs = now() - startedAt;
  try {
    // 1. Alert → first action, alternating one alert at a time.
    log(`  alert → first action: ${options.latency.samples} + ${options.latency.warmup} warm-up alerts each, alternating...`);
    await system.startWorker();
    const incidents: string[] = [];
    const viaFirebreak = async (index: number) => {
      const key = `peer-latency-${run}-${index}`;
      const start = now();
      const answer = await system.http.post<AlertAnswer>('/v1/alerts', firingAlert(key, `Bench peer alert ${index}`));
      const ack = now() - start;
      if (answer.status !== 202 || !answer.body.incidentId) throw new Error(`POST /v1/alerts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      incidents.push(answer.body.incidentId);
      const at = await system.marks.wait(`page:${answer.body.incidentId}`);
      return { first: at - start, ack };
    };
    const viaN8n = async (index: number) => {
      const alert: PeerAlert = { id: `latency-${run}-${index}`, key: `peer-latency-${run}-${index}` };
      const start = now();
      const answer = await peer.http.post(N8nPeer.webhook(N8N_RESPONSE_MODE), alert);
      const ack = now() - start;
      if (answer.status !== 200) throw new Error(`n8n's webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const at = await receiver.firsts.wait(alert.id);
      return { first: at - start, ack };
    };
    const runs = await alternate(options.latency.warmup, options.latency.samples, viaFirebreak, viaN8n);
    await system.terminate(incidents);
    const firebreak = summarize(runs.a.map((sample) => sample.first));
    const n8n = summarize(runs.b.map((sample) => sample.first));
    log(`  p50 Firebreak ${firebreak.p50} ms, n8n ${n8n.p50} ms; p99 ${firebreak.p99} vs ${n8n.p99} ms`);

    // 2. The storm: Firebreak's round (with the baseline's, as scenario 2 runs them), then n8n's.
    const { alerts, keys, concurrency } = options.storm;
    log(`  storm: ${alerts} alerts over ${keys} keys from ${concurrency} clients, Firebreak then n8n...`);
    await system.startWorker();
    // Firebreak's round failing (a bound exceeded on a loaded machine) leaves n8n's figures
    // standing; what it left open is terminated first, so n8n does not share the machine with its backlog.
    const firebreakStorm = await stormScenario(system, { alerts, keys, concurrency, repetitions: 1, order: 'shuffled', urgentProbes: 0 }, log).then(
      firebreakStormFigures,
      async (error: unknown) => {
        const failed = error instanceof Error ? error.message : String(error);
        log(`  storm Firebreak failed: ${failed}; terminating what it left open...`);
        const open: string[] = [];
        for await (const execution of system.client.workflow.list({ query: "ExecutionStatus = 'Running'" })) open.push(execution.workflowId);
        await system.terminate(open);
        await system.startWorker();
        return { failed };
      },
    );
    await peer.ready(120_000);
    const n8nStormFigures = await n8nStorm(peer, receiver, run, options.storm);
    log(
      `  storm n8n: ${n8nStormFigures.status_2xx}/${alerts} 2xx in ${n8nStormFigures.seconds}s (${n8nStormFigures.accepted_per_s}/s), ` +
        `5xx ${n8nStormFigures.status_5xx}, other ${n8nStormFigures.other}; end to end ${n8nStormFigures.end_to_end_per_s}/s; ` +
        `lost ${n8nStormFigures.delivery.lost}, duplicated ${n8nStormFigures.delivery.duplicated}`,
    );

    // 3. kill -9 mid-storm, in each response mode.
    const kill: PeerKill[] = [];
    for (const mode of [N8N_RESPONSE_MODE, 'onReceived'] as const) {
      log(`  kill -9: ${options.kill.alerts} alerts from ${options.kill.concurrency} retrying clients, response mode ${mode}...`);
      await peer.ready(120_000);
      const figures = await n8nKill(peer, receiver, run, mode, options.kill, log);
      log(
        `  kill -9 (${mode}): ${figures.acknowledged} acknowledged, ${figures.unacknowledged} given up, ${figures.retries} retries; ` +
          `lost ${figures.delivery.lost}, repeated ${figures.delivery.duplicated}; n8n down ${figures.down_ms} ms`,
      );
      kill.push(figures);
    }

    return {
      n8n: launch.version,
      node: launch.nodeVersion,
      response_mode: N8N_RESPONSE_MODE,
      promise: PROMISES[N8N_RESPONSE_MODE],
      set_up_ms: Math.round(startUpMs),
      start_ms: Math.round(peer.firstStartMs),
      settings: peer.settings(),
      latency: {
        samples: options.latency.samples,
        warmup: options.latency.warmup,
        firebreak: { ...firebreak, ack: summarize(runs.a.map((sample) => sample.ack)) },
        n8n: { ...n8n, ack: summarize(runs.b.map((sample) => sample.ack)) },
        ratio_p50: ratio(n8n.p50, firebreak.p50),
        ratio_p99: ratio(n8n.p99, firebreak.p99),
        samples_ms: {
          firebreak: runs.a.map((sample) => round(sample.first)),
          n8n: runs.b.map((sample) => round(sample.first)),
        },
      },
      storm: {
        alerts,
        keys,
        concurrency,
        ...firebreakStorm,
        n8n: n8nStormFigures,
        ...('failed' in firebreakStorm
          ? {}
          : {
              ratio_accepted: ratio(n8nStormFigures.accepted_per_s, firebreakStorm.firebreak.accepted_per_s),
              ratio_end_to_end: ratio(n8nStormFigures.end_to_end_per_s, firebreakStorm.firebreak.end_to_end_per_s),
            }),
      },
      kill,
    };
  } finally {
    await peer.stop();
    await receiver.stop();
  }
}

/** The peer's part of the bench's printed report; `table` is the report's own. */
export function n8nPeerReport(peer: N8nPeerResult, table: (rows: string[][]) => string): string {
  const { latency, storm, kill } = peer;
  const lines = [`\nPeer: n8n ${peer.n8n} on Node ${peer.node}, PostgreSQL; webhook answers ${peer.response_mode === 'lastNode' ? 'when the last node has run' : 'on receipt'}`];
  lines.push(`   alert → first action (${latency.samples} alerts each, one at a time, alternating; ms)`);
  lines.push(
    table([
      ['', 'p50', 'p90', 'p99', 'ack p50'],
      ['Firebreak (POST /v1/alerts → first activity)', ...[latency.firebreak.p50, latency.firebreak.p90, latency.firebreak.p99, latency.firebreak.ack.p50].map(String)],
      ['n8n (webhook POST → HTTP action received)', ...[latency.n8n.p50, latency.n8n.p90, latency.n8n.p99, latency.n8n.ack.p50].map(String)],
      ['ratio n8n ÷ Firebreak', String(latency.ratio_p50), '', String(latency.ratio_p99), ''],
    ]),
  );
  lines.push(`   storm (${storm.alerts} alerts, ${storm.keys} keys, ${storm.concurrency} clients, no retries)`);
  const n8nRow = [
    'n8n',
    ...[storm.n8n.accepted_per_s, storm.n8n.end_to_end_per_s, storm.n8n.status_2xx, storm.n8n.status_5xx + storm.n8n.other, storm.n8n.ack_ms.p99, storm.n8n.delivery.lost, storm.n8n.delivery.duplicated].map(String),
  ];
  if ('failed' in storm) lines.push(table([['', '2xx/s', 'end to end/s', '2xx', 'refused/failed', 'ack p99 ms', 'lost', 'duplicated'], n8nRow]), `   Firebreak's round failed: ${storm.failed}`);
  else {
    const f = storm.firebreak;
    lines.push(
      table([
        ['', '2xx/s', 'end to end/s', '2xx', 'refused/failed', 'ack p99 ms', 'lost', 'duplicated'],
        ['Firebreak', ...[f.accepted_per_s, f.end_to_end_per_s, f.status_2xx, f.refused, f.ack_ms.p99, f.lost, f.duplicated].map(String)],
        n8nRow,
        ['ratio n8n ÷ Firebreak', String(storm.ratio_accepted), String(storm.ratio_end_to_end), '', '', '', '', ''],
      ]),
    );
  }
  lines.push(`   kill -9 of n8n after a third of the alerts were answered, senders retrying`);
  lines.push(
    table([
      ['response mode', 'alerts', 'acknowledged', 'given up', 'retries', 'met a 404', 'lost', 'repeated', 'down ms'],
      ...kill.map((run) => [
        run.response_mode,
        ...[run.alerts, run.acknowledged, run.unacknowledged, run.retries, run.met_404, run.delivery.lost, run.delivery.duplicated, run.down_ms].map(String),
      ]),
    ]),
  );
  return lines.join('\n');
}
