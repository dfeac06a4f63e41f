/**
 * `npm run bench [-- --quick] [-- --only=latency,storm,scale,runbook,public-reads,console,webhooks,record,projection] [-- --storm-order=bursty] [-- --profile]`
 * `npm run bench -- --peer=n8n [--quick]`: Firebreak beside n8n (bench/peers/n8n.ts), alone unless `--only` is given too.
 *
 * The driver: starts the Temporal dev server scripts/bench.mjs prepared, a worker process
 * (Firebreak's worker, instrumented, and the bench-only baseline worker) and an API process,
 * runs the scenarios, prints a table and writes bench/results/. Run through
 * scripts/bench.mjs, which installs, builds and hands over the server's command line.
 */
import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ConsoleResult, consoleScenario } from './scenarios/console';
import { latencyScenario, type LatencyResult } from './scenarios/latency';
import { type FloodRun, publicReadsScenario, type PublicReadsResult } from './scenarios/public-reads';
import { RUNBOOK, type RunbookResult, runbookScenario, runbookUnavailable } from './scenarios/runbook';
import { scaleScenario, type ScaleResult } from './scenarios/scale';
import { type StormOrder, type StormResult, stormScenario } from './scenarios/storm';
import { projectionScenario, type ProjectionResult } from './scenarios/projection';
import { recordScenario, type RecordResult } from './scenarios/record';
import { webhooksScenario, type WebhooksResult } from './scenarios/webhooks';
import { type N8nLaunch, n8nPeerReport, type N8nPeerResult, n8nPeerScenario } from './peers/n8n';
import { apiSettingsFromEnv } from './lib/api-settings';
import { type Panel, renderChart } from './lib/svg';
import { System, type TemporalLaunch } from './lib/system';

/** The repository: this file runs as dist/bench-build/bench/main.js. */
const ROOT = resolve(__dirname, '..', '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const SCENARIOS = ['latency', 'storm', 'scale', 'runbook', 'public-reads', 'console', 'webhooks', 'record', 'projection'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** Systems `--peer=` compares Firebreak with, side by side in the same run (bench/peers/). */
const PEERS = ['n8n'] as const;
type Peer = (typeof PEERS)[number];

interface Args {
  quick: boolean;
  only: Scenario[];
  stormOrder: StormOrder;
  profile: boolean;
  /** `--peer=n8n`: the peer comparison; alone, unless `--only` names scenarios to run before it. */
  peer?: Peer;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: [...SCENARIOS], stormOrder: 'shuffled', profile: false };
  let onlyGiven = false;
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    if (name === '--quick') args.quick = true;
    else if (name === '--profile') args.profile = true;
    else if (name === '--only' && value) {
      const wanted = value.split(',');
      const unknown = wanted.filter((scenario) => !(SCENARIOS as readonly string[]).includes(scenario));
      if (unknown.length) throw new Error(`--only: no scenario ${unknown.join(', ')} (scenarios: ${SCENARIOS.join(', ')})`);
      args.only = wanted as Scenario[];
      onlyGiven = true;
    } else if (name === '--peer') {
      if (!(PEERS as readonly string[]).includes(value ?? '')) throw new Error(`--peer: no peer ${value ?? ''} (peers: ${PEERS.join(', ')})`);
      args.peer = value as Peer;
    } else if (name === '--storm-order' && (value === 'shuffled' || value === 'bursty')) args.stormOrder = value;
    else throw new Error(`unknown argument ${arg} (try --quick, --only=${SCENARIOS.join(',')}, --storm-order=shuffled|bursty, --profile, --peer=${PEERS.join('|')})`);
  }
  if (args.peer && !onlyGiven) args.only = [];
  return args;
}

const log = (line: string) => console.error(line);

function versionOf(name: string): string | undefined {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function machine(temporal: TemporalLaunch) {
  const cores = cpus();
  return {
    cores: cores.length,
    cpu_model: cores[0]?.model.trim(),
    memory_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    memory_free_gb_at_start: Math.round((freemem() / 2 ** 30) * 10) / 10,
    /** Other work on the machine: the 1, 5 and 15 minute load averages when the run started. */
    load_average_at_start: loadavg().map((value) => Math.round(value * 100) / 100),
    os: `${osType()} ${release()}`,
    node: process.version,
    temporal_cli: temporal.version,
    temporal_sdk: versionOf('@temporalio/worker'),
    nestjs: versionOf('@nestjs/core'),
    zod: versionOf('zod'),
  };
}

/** The figures of a storm run in the other arrival order, without its rounds' detail. */
function compactStorm(storm: StormResult) {
  const { rounds, ...figures } = storm;
  return { ...figures, round_seconds: rounds.map((round) => ({ system: round.system, seconds: round.seconds })) };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

type StormFigures = StormResult & { other_order?: ReturnType<typeof compactStorm> };

interface Results {
  latency?: LatencyResult;
  storm?: StormFigures;
  scale?: ScaleResult;
  runbook?: RunbookResult | { skipped: string };
  publicReads?: PublicReadsResult;
  console?: ConsoleResult;
  webhooks?: WebhooksResult;
  record?: RecordResult;
  projection?: ProjectionResult;
  peerN8n?: N8nPeerResult;
}

function report(results: Results): string {
  const lines: string[] = [];
  const { latency, storm, scale, runbook, publicReads, console: web, webhooks, record, projection } = results;
  if (latency) {
    lines.push(`\n1. Alert → first action (${latency.samples} alerts, one at a time; ms)`);
    lines.push(
      table([
        ['', 'p50', 'p90', 'p99', 'ack p50'],
        ['Firebreak (POST /v1/alerts)', ...[latency.firebreak.p50, latency.firebreak.p90, latency.firebreak.p99, latency.firebreak.ack.p50].map(String)],
        ['baseline (update-with-start)', ...[latency.baseline.p50, latency.baseline.p90, latency.baseline.p99, latency.baseline.ack.p50].map(String)],
        ['ratio (target p50 ≤ 1.10, p99 ≤ 1.25)', String(latency.ratio_p50), String(latency.ratio_p90), String(latency.ratio_p99), ''],
        ['alert → first notification sent', String(latency.notification.p50), String(latency.notification.p90), String(latency.notification.p99), ''],
      ]),
    );
    const { firebreak, baseline } = latency.phases;
    lines.push('   where it went, p50 ms (start: send → start recorded; dispatch: → task picked up; task: on the worker; action: → first line)');
    lines.push(
      table([
        ['', 'start', 'dispatch', 'task', 'action'],
        ['Firebreak', ...[firebreak.start.p50, firebreak.dispatch.p50, firebreak.task.p50, firebreak.action.p50].map(String)],
        ['baseline', ...[baseline.start.p50, baseline.dispatch.p50, baseline.task.p50, baseline.action.p50].map(String)],
      ]),
    );
  }
  if (storm) {
    lines.push(`\n2. Alert storm (${storm.alerts} alerts over ${storm.keys} keys, ${storm.concurrency} clients, ${storm.order} order, ×${storm.repetitions})`);
    lines.push(
      table([
        ['', 'accepted/s', '2xx', '503/failed', 'ack p50 ms', 'ack p99 ms'],
        ['Firebreak', String(storm.firebreak.accepted_per_s), String(storm.firebreak.status_2xx), String(storm.firebreak.status_503 + storm.firebreak.other), String(storm.firebreak.ack_ms.p50), String(storm.firebreak.ack_ms.p99)],
        ['baseline', String(storm.baseline.accepted_per_s), String(storm.baseline.status_2xx), String(storm.baseline.failed), String(storm.baseline.ack_ms.p50), String(storm.baseline.ack_ms.p99)],
        ['ratio_throughput (target ≥ 5)', String(storm.ratio_throughput), '', '', '', ''],
      ]),
    );
    lines.push(`   incidents ${storm.incidents} for ${storm.incident_keys} keys; lost ${storm.lost}; duplicated ${storm.duplicated}`);
    lines.push(
      `   queued ${storm.queued} alerts in ${storm.alert_queues} alert queues (${storm.alert_queues_recovered} recovered by the queue); ` +
        `end to end (first sent → last recorded): Firebreak ${storm.end_to_end.firebreak_per_s}/s, baseline ${storm.end_to_end.baseline_per_s}/s, ` +
        `ratio ${storm.end_to_end.ratio} (target ≥ ${storm.end_to_end.target_ratio}: ${storm.end_to_end.met ? 'met' : 'NOT met'})`,
    );
    const { ack_to_first_page: toPage, urgent } = storm;
    lines.push(
      table([
        ['', 'p50 ms', 'p99 ms', 'max ms', 'its ack p50 ms'],
        ['ack → first page, Firebreak (per key)', ...[toPage.firebreak.p50, toPage.firebreak.p99, toPage.firebreak.max].map(String), ''],
        ['ack → first action, baseline (per key)', ...[toPage.baseline.p50, toPage.baseline.p99, toPage.baseline.max].map(String), ''],
        ...(['firebreak', 'baseline'] as const).flatMap((system) =>
          (['idle', 'storm'] as const).map((phase) => {
            const page = urgent[system][`${phase}_ms`];
            const label = `${system === 'firebreak' ? 'SEV1 alert → first page' : 'baseline urgent alert → first action'}, ${phase === 'idle' ? 'idle' : 'amid the storm'} (${page.n})`;
            return [label, ...[page.p50, page.p99, page.max, urgent[system][`${phase}_ack_ms`].p50].map(String)];
          }),
        ),
      ]),
    );
    lines.push(
      `   ack → first page p99 target ≤ ${toPage.target_p99_ms} ms: ${toPage.met ? 'met' : 'NOT met'}; ` +
        `SEV1 amid the storm / idle p50 ${urgent.ratio_p50} (target ≤ ${urgent.target_ratio}): ${urgent.met ? 'met' : 'NOT met'}`,
    );
    const cpu = (c: { temporal: number; worker: number; api: number; driver: number }) =>
      `server ${c.temporal} + worker ${c.worker} + API ${c.api} + client ${c.driver}`;
    lines.push(`   CPU ms per alert while accepting: Firebreak ${cpu(storm.cpu_ms_per_alert.firebreak)}; baseline ${cpu(storm.cpu_ms_per_alert.baseline)}`);
    lines.push(
      `   CPU ms per alert until settled: Firebreak ${cpu(storm.cpu_ms_per_alert_settled.firebreak)}; baseline ${cpu(storm.cpu_ms_per_alert_settled.baseline)}`,
    );
    const h = storm.history_per_alert;
    lines.push(
      `   per alert: Firebreak ${h.firebreak.updates} updates, ${h.firebreak.workflow_tasks} workflow tasks, ${h.firebreak.events} events; ` +
        `baseline ${h.baseline.updates} updates, ${h.baseline.workflow_tasks} workflow tasks, ${h.baseline.events} events`,
    );
    if (storm.other_order) {
      const o = storm.other_order;
      lines.push(
        `   ${o.order} order (×1): Firebreak ${o.firebreak.accepted_per_s}/s vs baseline ${o.baseline.accepted_per_s}/s, ratio ${o.ratio_throughput}; ` +
          `Firebreak ${o.history_per_alert.firebreak.updates} updates per alert; lost ${o.lost}, duplicated ${o.duplicated}`,
      );
    }
  }
  if (scale) {
    lines.push(`\n3. Many open incidents (${scale.incidents}, each waiting on an escalation timer)`);
    lines.push(
      table([
        ['', 'value'],
        ['worker RSS (MB)', `${scale.worker_rss_mb} (was ${scale.worker_rss_before_mb})`],
        ['cached workflows', `${scale.cached_workflows} (max ${scale.max_cached_workflows ?? '?'})`],
        ['RSS per cached workflow (KB)', String(scale.rss_per_cached_workflow_kb)],
        ['GET /v1/incidents p50 / p99 (ms)', `${scale.list.p50} / ${scale.list.p99}`],
        ['GET /v1/incidents/:id p50 / p99 (ms)', `${scale.get.p50} / ${scale.get.p99}`],
        ['API RSS / Temporal server RSS (MB)', `${scale.api_rss_mb} / ${scale.temporal_server_rss_mb ?? '?'}`],
      ]),
    );
  }
  if (runbook && 'skipped' in runbook) lines.push(`\n4. Runbook end to end: skipped (${runbook.skipped})`);
  else if (runbook) {
    lines.push(`\n4. Runbook end to end (${runbook.runbook}, ${runbook.samples} runs, ${runbook.activities} activities each; ms)`);
    lines.push(
      table([
        ['', 'p50', 'p90', 'p99'],
        ['Firebreak (launch → completed)', String(runbook.firebreak.p50), String(runbook.firebreak.p90), String(runbook.firebreak.p99)],
        [`baseline (${runbook.activities} no-op activities)`, String(runbook.baseline.p50), String(runbook.baseline.p90), String(runbook.baseline.p99)],
        ['ratio (target p50 ≤ 1.2)', String(runbook.ratio_p50), '', String(runbook.ratio_p99)],
      ]),
    );
  }
  if (publicReads) {
    const { options } = publicReads;
    lines.push(
      `\n5. Public-read flood (/status, /status.json, /readyz at ${options.rate}/s, ≤ ${options.maxRequests} requests, ≤ ${options.maxSeconds} s; ` +
        `alert → first action, ${options.samples} alerts per phase; ms)`,
    );
    const row = (label: string, run: FloodRun) => [
      label,
      String(run.idle.p50),
      String(run.flood.p50),
      String(run.ratio_p50),
      String(run.requests_per_s),
      String(run.status_page_reads),
      String(run.readiness_probes),
    ];
    lines.push(
      table([
        ['', 'idle p50', 'flood p50', `ratio (target ≤ ${publicReads.target_ratio})`, 'reads/s', 'status queries', 'probes'],
        row('with the caches', publicReads.cached),
        row('caches off (query per request)', publicReads.uncached),
      ]),
    );
  }
  if (web) {
    const { js, incidents_page: list, incident_page: one } = web;
    lines.push(
      `\n6. The console (Chromium ${web.chromium}; ${web.options.incidents} open incidents; ${web.options.samples} navigations per page, each in a fresh context; ms from navigation)`,
    );
    const page = (label: string, timing: typeof list) => [
      label,
      String(timing.p50),
      String(timing.p90),
      String(timing.max),
      String(timing.dom_content_loaded_p50),
      String(timing.data_answered_p50),
      `${timing.target_ms}`,
    ];
    lines.push(
      table([
        ['', 'p50', 'p90', 'max', 'DOMContentLoaded p50', 'data answered p50', 'target p90'],
        page('Incidents page interactive', list),
        page('incident page interactive', one),
      ]),
    );
    lines.push(`   JavaScript: ${js.gzip_kb} KB gzipped in ${js.files} files, ${js.initial_gzip_kb} KB of it loaded by index.html (target ≤ ${js.target_kb} KB)`);
  }
  if (webhooks) {
    lines.push(`\n7. Outgoing webhooks (${webhooks.incidents} incidents one at a time, opened and acknowledged: ${webhooks.events} events; event recorded → receiver has it, ms)`);
    lines.push(
      table([
        ['', 'p50', 'p90', 'p99', 'max'],
        ['every event', ...[webhooks.delivery_ms.p50, webhooks.delivery_ms.p90, webhooks.delivery_ms.p99, webhooks.delivery_ms.max].map(String)],
        ['incident.opened', ...[webhooks.opened_ms.p50, webhooks.opened_ms.p90, webhooks.opened_ms.p99, webhooks.opened_ms.max].map(String)],
      ]),
    );
    lines.push(`   deliveries received twice: ${webhooks.duplicates}`);
  }
  if (record) {
    const { targets } = record;
    lines.push(`\n8. Incident record (${record.options.incidents} recorded incidents; ms; targets: search p99 ≤ ${targets.search_p99_ms}, one-year weekly report p99 ≤ ${targets.report_p99_ms})`);
    lines.push(
      table([
        ['', 'search p50', 'search p99', 'report p50', 'report p99', 'one write p50', 'met'],
        ...record.servers.map((server) => [
          server.server,
          ...[server.search_ms.p50, server.search_ms.p99, server.report_ms.p50, server.report_ms.p99, server.write_ms.p50].map(String),
          server.met ? 'yes' : 'NO',
        ]),
      ]),
    );
  }
  if (projection) {
    lines.push(`\n9. The record's cost to alert → first action (${projection.options.samples} alerts per side in ${projection.options.blocks} alternating blocks; target ≤ ${projection.target_pct}%)`);
    lines.push(
      table([
        ['', 'Firebreak p50', 'Firebreak p99', 'baseline p50', 'ratio p50'],
        ...([['record off', projection.without_record], ['record on', projection.with_record]] as const).map(([label, side]) => [
          label,
          ...[side.firebreak.p50, side.firebreak.p99, side.baseline.p50, side.ratio_p50].map(String),
        ]),
      ]),
    );
    lines.push(
      `   overhead: p50 ${projection.overhead_p50_pct}%, p99 ${projection.overhead_p99_pct}%, on the ratio to the baseline ${projection.overhead_ratio_p50_pct}%: ${projection.met ? 'met' : 'NOT met'}`,
    );
  }
  if (results.peerN8n) lines.push(n8nPeerReport(results.peerN8n, table));
  return lines.join('\n');
}

function chart(latency: LatencyResult | undefined, storm: StormResult | undefined, runbook: RunbookResult | { skipped: string } | undefined): Panel[] {
  const panels: Panel[] = [];
  if (latency) {
    panels.push({
      title: 'Alert → first action',
      note: `${latency.samples} alerts, one at a time; ratio p50 ${latency.ratio_p50}, p99 ${latency.ratio_p99}`,
      series: [
        { label: 'Firebreak', color: '#d9480f', values: latency.samples_ms.firebreak },
        { label: 'baseline', color: '#1c7ed6', values: latency.samples_ms.baseline },
      ],
    });
  }
  if (storm) {
    const quantilesOf = (system: 'firebreak' | 'baseline') => storm.rounds.filter((round) => round.system === system).flatMap((round) => round.ack_quantiles_ms);
    panels.push({
      title: 'Alert storm: time to acknowledge',
      note: `${storm.alerts} alerts / ${storm.keys} keys, ${storm.concurrency} clients; throughput ratio ${storm.ratio_throughput}`,
      series: [
        { label: 'Firebreak (202)', color: '#d9480f', values: quantilesOf('firebreak'), n: storm.firebreak.status_2xx },
        { label: 'baseline (update done)', color: '#1c7ed6', values: quantilesOf('baseline'), n: storm.baseline.status_2xx },
      ],
    });
  }
  if (runbook && !('skipped' in runbook)) {
    panels.push({
      title: 'Runbook launch → completion',
      note: `${runbook.runbook}, ${runbook.activities} activities; ratio p50 ${runbook.ratio_p50}`,
      series: [
        { label: 'Firebreak', color: '#d9480f', values: runbook.samples_ms.firebreak },
        { label: 'baseline', color: '#1c7ed6', values: runbook.samples_ms.baseline },
      ],
    });
  }
  return panels;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const launch = JSON.parse(process.env.BENCH_TEMPORAL ?? 'null') as TemporalLaunch | null;
  if (!launch) throw new Error('run the bench with `npm run bench` (scripts/bench.mjs starts it)');
  const startedAt = new Date();
  const machineAtStart = machine(launch);
  const sizes = args.quick
    ? {
        latency: { samples: 30, warmup: 5 },
        storm: { alerts: 1_000, keys: 100, urgentProbes: 3 },
        scale: { incidents: 200, reads: 30 },
        runbook: { samples: 15, warmup: 3 },
        publicReads: { samples: 20, warmup: 3, rate: 200, concurrency: 32, maxRequests: 20_000, maxSeconds: 60 },
        console: { incidents: 200, samples: 5, warmup: 1 },
        webhooks: { incidents: 50, warmup: 5 },
        record: { incidents: 10_000, searches: 100, reports: 10, warmup: 5 },
        projection: { samples: 40, warmup: 3, blocks: 2 },
      }
    : {
        latency: { samples: 300, warmup: 20 },
        storm: { alerts: 10_000, keys: 1_000, urgentProbes: 5 },
        scale: { incidents: 2_000, reads: 200 },
        runbook: { samples: 100, warmup: 5 },
        publicReads: { samples: 100, warmup: 5, rate: 200, concurrency: 32, maxRequests: 100_000, maxSeconds: 300 },
        console: { incidents: 2_000, samples: 20, warmup: 2 },
        webhooks: { incidents: 200, warmup: 10 },
        record: { incidents: 100_000, searches: 500, reports: 30, warmup: 10 },
        projection: { samples: 200, warmup: 5, blocks: 4 },
      };
  const childExecArgv = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS, 'profiles')}`] : [];

  const system = new System(launch, { childExecArgv, log });
  // Bounded: the whole run stops by itself, whatever happens.
  const watchdog = setTimeout(
    () => {
      log('the bench exceeded its time limit; stopping');
      void system.stop().finally(() => process.exit(2));
    },
    ((args.quick ? 15 : 90) + (args.peer ? 30 : 0)) * 60_000,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void system.stop().finally(() => process.exit(130));
    });
  }
  const results: Results = {};
  const failures: Partial<Record<Scenario | `peer-${Peer}`, string>> = {};
  /** Runs one scenario; a failure is recorded and reported, and the others still run. */
  const attempt = async (scenario: Scenario, run: () => Promise<void>) => {
    if (!args.only.includes(scenario)) return;
    try {
      await run();
    } catch (error) {
      failures[scenario] = error instanceof Error ? error.message : String(error);
      log(`  ${scenario} failed: ${failures[scenario]}`);
    }
  };
  let workerOptions: unknown;
  try {
    log(`Starting the Temporal dev server (${launch.address}), the worker and the API...`);
    await system.start();
    workerOptions = await system.worker.call('options');
    await attempt('latency', async () => {
      log(`Scenario 1: alert → first action (${sizes.latency.samples} + ${sizes.latency.warmup} warm-up, alternating)...`);
      const latency = await latencyScenario(system, sizes.latency);
      results.latency = latency;
      log(`  p50 ${latency.firebreak.p50} vs ${latency.baseline.p50} ms (ratio ${latency.ratio_p50}); p99 ratio ${latency.ratio_p99}`);
      log(`  alert → first notification sent: p50 ${latency.notification.p50} ms, p99 ${latency.notification.p99} ms`);
    });
    await attempt('storm', async () => {
      log(`Scenario 2: alert storm (${sizes.storm.alerts} alerts over ${sizes.storm.keys} keys, 64 clients, ${args.stormOrder})...`);
      await system.startWorker();
      const storm: StormFigures = await stormScenario(system, { ...sizes.storm, concurrency: 64, repetitions: 2, order: args.stormOrder }, log);
      results.storm = storm;
      // The other arrival order, once each (A, B): how much the group commit can coalesce decides the ratio.
      const other: StormOrder = args.stormOrder === 'shuffled' ? 'bursty' : 'shuffled';
      log(`Scenario 2b: the same storm in ${other} order...`);
      await system.startWorker();
      storm.other_order = compactStorm(await stormScenario(system, { ...sizes.storm, concurrency: 64, repetitions: 1, order: other }, log));
    });
    await attempt('scale', async () => {
      log(`Scenario 3: ${sizes.scale.incidents} open incidents...`);
      results.scale = await scaleScenario(system, sizes.scale);
    });
    await attempt('runbook', async () => {
      const unavailable = await runbookUnavailable(system);
      if (unavailable) {
        log(`Scenario 4: skipped (${unavailable})`);
        results.runbook = { skipped: unavailable };
        return;
      }
      log(`Scenario 4: ${RUNBOOK} end to end (${sizes.runbook.samples} + ${sizes.runbook.warmup} warm-up, alternating)...`);
      await system.startWorker();
      const runbook = await runbookScenario(system, sizes.runbook);
      results.runbook = runbook;
      log(`  p50 ${runbook.firebreak.p50} vs ${runbook.baseline.p50} ms (ratio ${runbook.ratio_p50}) for ${runbook.activities} activities`);
    });
    await attempt('public-reads', async () => {
      const flood = sizes.publicReads;
      log(`Scenario 5: public-read flood at ${flood.rate}/s (${flood.samples} + ${flood.warmup} alerts idle, then under the flood; caches on, then off)...`);
      await system.startWorker();
      results.publicReads = await publicReadsScenario(system, flood, log);
    });
    await attempt('console', async () => {
      log(`Scenario 6: the console (${sizes.console.incidents} open incidents, ${sizes.console.samples} + ${sizes.console.warmup} navigations per page)...`);
      await system.startWorker();
      const web = await consoleScenario(system, ROOT, sizes.console, log);
      results.console = web;
      log(
        `  JS ${web.js.gzip_kb} KB gzipped; interactive p90: Incidents ${web.incidents_page.p90} ms, incident ${web.incident_page.p90} ms`,
      );
    });
    await attempt('webhooks', async () => {
      log(`Scenario 7: outgoing webhooks (${sizes.webhooks.incidents} + ${sizes.webhooks.warmup} warm-up incidents, one at a time)...`);
      const webhooks = await webhooksScenario(system, sizes.webhooks);
      results.webhooks = webhooks;
      log(`  event recorded → delivered: p50 ${webhooks.delivery_ms.p50} ms, p99 ${webhooks.delivery_ms.p99} ms over ${webhooks.events} events`);
    });
    await attempt('record', async () => {
      log(`Scenario 8: the incident record (${sizes.record.incidents} seeded incidents; search and reports on PGlite and PostgreSQL)...`);
      const record = await recordScenario(ROOT, join(ROOT, 'dist/bench-build/record/embedded-server.js'), sizes.record, log);
      results.record = record;
      const missed = record.servers.filter((server) => !server.met).map((server) => server.server);
      log(missed.length ? `  the record MISSED its targets on ${missed.join(', ')}` : '  the record met its targets on every server');
    });
    await attempt('projection', async () => {
      const { samples, blocks } = sizes.projection;
      log(`Scenario 9: alert → first action with the record off and on (${samples} alerts each, ${blocks} alternating blocks)...`);
      const projection = await projectionScenario(system, join(ROOT, 'dist/bench-build/record/embedded-server.js'), sizes.projection, log);
      results.projection = projection;
      log(`  overhead p50 ${projection.overhead_p50_pct}%, on the ratio to the baseline ${projection.overhead_ratio_p50_pct}% (target ≤ ${projection.target_pct}%)`);
    });
    if (args.peer === 'n8n') {
      // The peer, side by side: scenario 1's sizes; scenario 2's storm; a smaller kill -9 storm (n8n takes seconds per hundred alerts).
      const peerSizes = {
        latency: sizes.latency,
        storm: { alerts: sizes.storm.alerts, keys: sizes.storm.keys, concurrency: 64 },
        kill: { alerts: args.quick ? 300 : 1_000, concurrency: 64 },
      };
      try {
        const n8n = JSON.parse(process.env.BENCH_N8N ?? 'null') as N8nLaunch | null;
        if (!n8n) throw new Error('no n8n: run the bench as `npm run bench -- --peer=n8n` (scripts/bench.mjs installs it)');
        log(`Peer: n8n ${n8n.version} beside Firebreak (latency, storm, kill -9)...`);
        results.peerN8n = await n8nPeerScenario(system, n8n, ROOT, peerSizes, log);
      } catch (error) {
        failures['peer-n8n'] = error instanceof Error ? error.message : String(error);
        log(`  peer n8n failed: ${failures['peer-n8n']}`);
      }
    }
  } finally {
    await system.stop();
    clearTimeout(watchdog);
  }

  const finishedAt = new Date();
  const output = {
    mode: args.quick ? 'quick' : 'full',
    scenarios: args.only,
    ...(args.peer ? { peer: args.peer } : {}),
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_s: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
    machine: { ...machineAtStart, load_average_at_end: loadavg().map((value) => Math.round(value * 100) / 100) },
    settings: {
      temporal_dev_server_args: launch.args.map((arg) => (arg.startsWith(launch.dataDir) ? `<temp dir>${arg.slice(launch.dataDir.length)}` : arg)),
      worker: workerOptions,
      api_overrides: apiSettingsFromEnv(),
      ...(process.env.BENCH_WORKER_OPTIONS ? { worker_overrides: JSON.parse(process.env.BENCH_WORKER_OPTIONS) as unknown } : {}),
      processes: 'Temporal dev server, worker host (Firebreak worker + baseline worker), API host, driver: one process each',
    },
    ...results,
    ...(Object.keys(failures).length ? { failures } : {}),
  };
  console.log(report(results));
  mkdirSync(RESULTS, { recursive: true });
  const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const json = `${JSON.stringify(output, null, 2)}\n`;
  const complete = args.only.length === SCENARIOS.length && Object.keys(failures).length === 0;
  const dated = join(RESULTS, `${stamp}${args.quick ? '-quick' : ''}${complete ? '' : '-partial'}.json`);
  writeFileSync(dated, json);
  const written = [dated];
  // peer-n8n.json: the peer comparison of a full run, whatever else ran (a quick run is a check).
  if (results.peerN8n && !args.quick) {
    const { mode, started_at, finished_at, duration_s, machine: host, settings } = output;
    const peer = join(RESULTS, 'peer-n8n.json');
    writeFileSync(peer, `${JSON.stringify({ mode, started_at, finished_at, duration_s, machine: host, settings, peerN8n: results.peerN8n }, null, 2)}\n`);
    written.push(peer);
  }
  // latest.json and the chart hold complete, successful full runs only: a quick run is a check, not a record.
  const record = complete && !args.quick;
  if (record) {
    writeFileSync(join(RESULTS, 'latest.json'), json);
    written.push(join(RESULTS, 'latest.json'));
  }
  // A full-size storm is kept apart too, whatever else ran: its targets are read from it.
  if (!args.quick && results.storm && !failures.storm) {
    const { storm, ...rest } = output;
    const kept = { ...Object.fromEntries(Object.entries(rest).filter(([key]) => !(key in results))), storm };
    writeFileSync(join(RESULTS, 'storm-latest.json'), `${JSON.stringify(kept, null, 2)}\n`);
    written.push(join(RESULTS, 'storm-latest.json'));
  }
  const panels = chart(results.latency, results.storm, results.runbook);
  if (record && panels.length) {
    const caption = `npm run bench · ${startedAt.toISOString()} · ${output.machine.cores} cores · Node ${output.machine.node}`;
    writeFileSync(join(RESULTS, 'latency.svg'), renderChart(panels, caption));
    written.push(join(RESULTS, 'latency.svg'));
  }
  log(`\nWrote ${written.map((path) => path.slice(ROOT.length + 1)).join(', ')}`);
  if (Object.keys(failures).length) throw new Error(`scenarios failed: ${Object.keys(failures).join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('bench failed:', error);
    process.exit(1);
  },
);
