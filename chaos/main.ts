/**
 * `npm run chaos`: issue 21's proof under fire. Starts the vendor stubs and `npm run
 * cluster` on this run's build with the real adapters pointed at the stubs, then runs one
 * round per fault (worker, API and Temporal server killed, PostgreSQL restarted, a vendor
 * failing, a vendor hanging). Each round drives a storm of alerts, runbook executions and
 * escalations, strikes mid-way, and checks the invariants with bounded waits. Writes
 * bench/results/chaos-latest.json; exits non-zero when any invariant fails. docs/chaos.md.
 * With `--shape start` it breaks `npm start` instead (chaos/start.ts): each of its children
 * killed in turn (rounds.ts START_FAULTS), results in bench/results/chaos-start-latest.json.
 * Built and started by `npm run chaos` (tsc -p chaos/tsconfig.json, then this file in
 * dist/chaos-build/); flags after `--`.
 */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FirebreakApi, READS } from './api';
import { checkRecord } from './record';
import { type Deployment, startCluster } from './cluster';
import { checkEscalation, startEscalation } from './escalation';
import { boundedWait, type Invariant } from './invariants';
import { FAULTS, type Fault, type FaultTiming, type RoundContext, START_FAULTS } from './rounds';
import { checkExecutionsEnded, checkRunbookEffects, launchRunbooks, type RunbookMix } from './runbooks';
import { startSingleBox } from './start';
import { checkStorm, startStorm, stormIncidentIds, type StormSize } from './storm';
import { startVendors, type Vendors } from './vendors';

const ROOT = join(__dirname, '..', '..', '..');

/** What a run breaks: `npm run cluster` (the production shape) or `npm start` (the single box); its rounds and its results file. */
const SHAPES = {
  cluster: { faults: FAULTS, out: 'bench/results/chaos-latest.json', checksRecord: false },
  // Its record is a process of its own that a round kills: each round checks the record too.
  start: { faults: START_FAULTS, out: 'bench/results/chaos-start-latest.json', checksRecord: true },
} as const;
type Shape = keyof typeof SHAPES;

interface Options {
  shape: Shape;
  storm: StormSize;
  runbooks: RunbookMix;
  escalations: number;
  faultMs: number;
  checkTimeoutMs: number;
  faults: Fault[];
  out: string;
}

interface RoundResult {
  round: number;
  fault: string;
  description: string;
  startedAt: string;
  wallMs: number;
  timing?: FaultTiming;
  storm: { alerts: number; keys: number; wallMs?: number; alertsPerSecond?: number; retriedRequests: number };
  invariants: Invariant[];
  ok: boolean;
  error?: string;
}

const log = (line: string) => console.error(`[chaos] ${line}`);

function options(): Options {
  const { values } = parseArgs({
    options: {
      alerts: { type: 'string', default: '1000' },
      keys: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '16' },
      kickoffs: { type: 'string', default: '3' },
      rollbacks: { type: 'string', default: '1' },
      'scale-outs': { type: 'string', default: '1' },
      escalations: { type: 'string', default: '3' },
      'fault-seconds': { type: 'string', default: '30' },
      'check-timeout-seconds': { type: 'string', default: '300' },
      shape: { type: 'string', default: 'cluster' },
      rounds: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!Object.hasOwn(SHAPES, String(values.shape))) throw new Error(`--shape must be one of ${Object.keys(SHAPES).join(', ')}`);
  const shape = values.shape as Shape;
  const faults = SHAPES[shape].faults;
  const count = (name: keyof typeof values, min = 0) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return value;
  };
  const names = (values.rounds ?? faults.map((fault) => fault.name).join(',')).split(',').filter(Boolean);
  const unknown = names.filter((name) => !faults.some((fault) => fault.name === name));
  if (unknown.length) throw new Error(`--rounds: no fault ${unknown.join(', ')} in the ${shape} shape (there are ${faults.map((f) => f.name).join(', ')})`);
  return {
    shape,
    storm: { alerts: count('alerts', 1), keys: count('keys', 1), concurrency: count('concurrency', 1) },
    runbooks: { kickoffs: count('kickoffs'), rollbacks: count('rollbacks'), scaleOuts: count('scale-outs') },
    escalations: count('escalations'),
    faultMs: count('fault-seconds', 1) * 1000,
    checkTimeoutMs: count('check-timeout-seconds', 10) * 1000,
    faults: names.map((name) => faults.find((fault) => fault.name === name)!),
    out: resolve(ROOT, values.out ?? SHAPES[shape].out),
  };
}

/**
 * One round: the workload starts, the fault strikes when due, then every invariant is
 * checked. `opened` gathers the incidents the run has opened, for the record's check.
 */
async function runRound(round: number, fault: Fault, deployment: Deployment, vendors: Vendors, opts: Options, opened: string[]): Promise<RoundResult> {
  const started = Date.now();
  const result: RoundResult = {
    round,
    fault: fault.name,
    description: fault.description,
    startedAt: new Date(started).toISOString(),
    wallMs: 0,
    storm: { alerts: opts.storm.alerts, keys: opts.storm.keys, retriedRequests: 0 },
    invariants: [],
    ok: false,
  };
  const api = new FirebreakApi(deployment.apiUrls, deployment.adminKey);
  const reads = new FirebreakApi(deployment.apiUrls, deployment.adminKey, READS);
  const source = `chaos-r${round}-${fault.name}`;
  try {
    const launched = await launchRunbooks(api, vendors, `r${round}`, opts.runbooks);
    const storm = startStorm(api, source, opts.storm);
    const escalation = startEscalation(api, source, opts.escalations, opts.checkTimeoutMs);
    const context: RoundContext = { deployment, vendors, api: reads, storm, stormAlerts: opts.storm.alerts, launched, faultMs: opts.faultMs };
    const due = await boundedWait(opts.checkTimeoutMs, async () => await fault.due(context), 100);
    if (!due) log(`round ${round}: ${fault.name} never came due; striking anyway`);
    const atMs = Date.now() - started;
    log(`round ${round}: ${fault.name} strikes at ${(atMs / 1000).toFixed(1)} s (${storm.sent}/${opts.storm.alerts} alerts sent)`);
    result.timing = { atMs, ...(await fault.strike(context)) };
    log(`round ${round}: ${result.timing.action}; back after ${(result.timing.recoveredAfterMs / 1000).toFixed(1)} s`);
    await Promise.all([storm.done, escalation.done]);
    result.storm.wallMs = storm.wallMs;
    result.storm.alertsPerSecond = storm.wallMs ? Math.round((opts.storm.alerts / storm.wallMs) * 1000) : undefined;
    log(`round ${round}: storm over in ${((storm.wallMs ?? 0) / 1000).toFixed(1)} s; checking`);
    const ended = await checkExecutionsEnded(reads, launched, opts.checkTimeoutMs);
    result.invariants.push(await checkStorm(reads, storm, Math.min(opts.storm.keys, opts.storm.alerts), opts.checkTimeoutMs));
    result.invariants.push(ended.invariant);
    result.invariants.push(await checkRunbookEffects(vendors, ended.executions));
    result.invariants.push(await checkEscalation(reads, vendors, escalation, opts.checkTimeoutMs));
    opened.push(...stormIncidentIds(storm, Math.min(opts.storm.keys, opts.storm.alerts)), ...escalation.incidentIds);
    if (SHAPES[opts.shape].checksRecord) result.invariants.push(await checkRecord(reads, opened, opts.checkTimeoutMs));
    result.invariants.push({ name: `${deployment.name} still runs`, ok: deployment.running(), counts: {} });
    result.storm.retriedRequests = api.retried;
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  result.wallMs = Date.now() - started;
  result.ok = !result.error && result.invariants.length > 0 && result.invariants.every((invariant) => invariant.ok);
  for (const invariant of result.invariants) log(`round ${round}: ${invariant.ok ? 'ok  ' : 'FAIL'} ${invariant.name} ${JSON.stringify(invariant.counts)}${invariant.note ? ` — ${invariant.note}` : ''}`);
  if (result.error) log(`round ${round}: FAIL ${result.error}`);
  return result;
}

function write(file: string, report: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * The test suite's moto helper finds tools/venv relative to its own file (test/vendors/, two
 * levels under the repository); in this build it sits two levels under dist/chaos-build.
 */
function linkTools(): void {
  const tools = join(ROOT, 'dist', 'chaos-build', 'tools');
  if (!existsSync(tools)) symlinkSync(join(ROOT, 'tools'), tools, 'dir');
}

async function main(): Promise<number> {
  const opts = options();
  linkTools();
  const started = Date.now();
  let vendors: Vendors | undefined;
  let deployment: Deployment | undefined;
  const rounds: RoundResult[] = [];
  const opened: string[] = [];
  let clusterReadyMs = 0;
  const stop = async () => {
    await deployment?.stop();
    await vendors?.stop();
  };
  const report = (interrupted: boolean) => {
    const ok = !interrupted && rounds.length === opts.faults.length && rounds.every((round) => round.ok);
    const wallMs = Date.now() - started;
    write(opts.out, {
      startedAt: new Date(started).toISOString(),
      shape: opts.shape,
      wallMs,
      clusterReadyMs,
      machine: { cpus: cpus().length, node: process.version },
      sizes: { storm: opts.storm, runbooks: opts.runbooks, escalations: opts.escalations, faultSeconds: opts.faultMs / 1000, checkTimeoutSeconds: opts.checkTimeoutMs / 1000 },
      ok,
      ...(interrupted ? { interrupted: true } : {}),
      rounds,
    });
    log(`${ok ? 'every invariant held' : interrupted ? 'INTERRUPTED' : 'SOME INVARIANTS FAILED'}; ${rounds.length} rounds in ${(wallMs / 1000).toFixed(0)} s; results in ${opts.out}`);
    return ok ? 0 : 1;
  };
  // Stopped by hand: the cluster and the stubs go, and the rounds done so far are kept.
  const interrupt = () => void stop().then(() => process.exit(report(true)));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    vendors = await startVendors();
    const start = opts.shape === 'start' ? startSingleBox : startCluster;
    log(`vendor stubs and moto started; starting ${opts.shape === 'start' ? 'npm start' : 'the cluster'}`);
    deployment = await start(join(ROOT, 'dist', 'chaos-build'), vendors.settings());
    clusterReadyMs = Date.now() - started;
    log(`${deployment.name} ready after ${(clusterReadyMs / 1000).toFixed(1)} s (${deployment.dir})`);
    for (const [i, fault] of opts.faults.entries()) {
      log(`round ${i + 1}: ${fault.name} — ${fault.description}`);
      rounds.push(await runRound(i + 1, fault, deployment, vendors, opts, opened));
      if (!deployment.running()) break;
    }
  } finally {
    await stop();
  }
  return report(false);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
