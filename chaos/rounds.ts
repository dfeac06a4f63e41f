/**
 * The faults, one per round, each injected while the round's workload runs: a storm of
 * alerts, runbook executions and escalations. A fault says when it strikes (a condition on
 * the workload, never a fixed delay), what it does, and how the system came back.
 */
import { type Deployment, restarted } from './cluster';
import type { FirebreakApi } from './api';
import { midRunbook, type Launched } from './runbooks';
import type { Storm } from './storm';
import type { StubName, Vendors } from './vendors';

export interface RoundContext {
  deployment: Deployment;
  vendors: Vendors;
  api: FirebreakApi;
  storm: Storm;
  stormAlerts: number;
  launched: Launched[];
  /** How long a vendor fault lasts. */
  faultMs: number;
}

export interface FaultTiming {
  /** What was done, e.g. `kill -9 worker-1 (pid 123)`. */
  action: string;
  /** When the fault struck, relative to the round's start. */
  atMs: number;
  /** How long until the process was back (a kill) or the vendor healed. */
  recoveredAfterMs: number;
}

export interface Fault {
  name: string;
  description: string;
  /** Whether the moment to strike has come; polled until it has. */
  due(context: RoundContext): Promise<boolean> | boolean;
  strike(context: RoundContext): Promise<Omit<FaultTiming, 'atMs'>>;
}

/** `kill -9` (or another signal) of a process, then the wait for its supervisor to restart it. */
async function killAndAwaitRestart({ deployment }: RoundContext, name: string, signal: NodeJS.Signals = 'SIGKILL') {
  const pid = deployment.pid(name);
  const struck = Date.now();
  process.kill(pid, signal);
  const pidNow = await restarted(deployment, name, pid);
  return { action: `${signal === 'SIGKILL' ? 'kill -9' : `kill -${signal.replace('SIG', '')}`} ${name} (pid ${pid}); restarted as pid ${pidNow}`, recoveredAfterMs: Date.now() - struck };
}

/** A vendor fault for `faultMs`, then healed: the duration of the fault itself, not a wait for a result. */
async function vendorFault({ vendors, faultMs }: RoundContext, name: StubName, faults: Parameters<Vendors['failAll']>[1], what: string) {
  vendors.failAll(name, faults);
  await new Promise((resolve) => setTimeout(resolve, faultMs));
  vendors.heal(name);
  return { action: `${name} ${what} for ${faultMs / 1000} s`, recoveredAfterMs: faultMs };
}

/** A third of the storm has been answered. */
const midStorm = ({ storm, stormAlerts }: RoundContext) => storm.sent >= stormAlerts / 3;

export const FAULTS: Fault[] = [
  {
    name: 'worker-kill',
    description: 'kill -9 of one worker once a runbook execution has done a step and is still running',
    due: ({ api, launched }) => midRunbook(api, launched),
    strike: (context) => killAndAwaitRestart(context, 'worker-1'),
  },
  {
    name: 'api-kill',
    description: 'kill -9 of one API a third into the storm; senders retry on connection errors and 503',
    due: midStorm,
    strike: (context) => killAndAwaitRestart(context, 'api-1'),
  },
  {
    name: 'temporal-kill',
    description: 'kill -9 of the Temporal server a third into the storm; the cluster restarts it',
    due: midStorm,
    strike: (context) => killAndAwaitRestart(context, 'temporal'),
  },
  {
    name: 'postgres-restart',
    description: "PostgreSQL stopped at once (SIGQUIT, immediate shutdown: crash recovery on start) a third into the storm; the cluster restarts it",
    due: midStorm,
    strike: (context) => killAndAwaitRestart(context, 'postgres', 'SIGQUIT'),
  },
  {
    name: 'vendor-errors',
    description: 'Jira answers 503 and 429 (Retry-After: 1) in turn to every request while the runbooks run',
    due: () => true,
    strike: (context) =>
      vendorFault(context, 'jira', [{ status: 503, body: { errorMessages: ['Service Unavailable'] } }, { status: 429, headers: { 'retry-after': '1' }, body: { errorMessages: ['Rate limit exceeded'] } }], 'answering 503 and 429'),
  },
  {
    name: 'vendor-hang',
    description: 'Slack never answers (the connection hangs) while the runbooks run and incidents page',
    due: () => true,
    strike: (context) => vendorFault(context, 'slack', ['hang'], 'hanging'),
  },
];

/** A kill round of the cluster, struck at the same moment on the child of `npm start` named `child`. */
function onStart(round: string, child: string, description: string): Fault {
  const cluster = FAULTS.find((fault) => fault.name === round)!;
  return { name: round, description, due: cluster.due, strike: (context) => killAndAwaitRestart(context, child) };
}

/**
 * The rounds of the start shape (`--shape start`): `kill -9` of each child of `npm start` in
 * turn, one process each, which its supervisor restarts after 1 s of back-off.
 */
export const START_FAULTS: Fault[] = [
  onStart('worker-kill', 'worker', 'kill -9 of the worker once a runbook execution has done a step and is still running'),
  onStart('api-kill', 'api', 'kill -9 of the API a third into the storm; senders retry on it until it is back'),
  onStart('temporal-kill', 'temporal', 'kill -9 of the Temporal dev server a third into the storm; npm start restarts it on the same SQLite file'),
  {
    name: 'record-kill',
    description: 'kill -9 of the embedded record (PGlite) a third into the storm; npm start restarts it on the same folder',
    due: midStorm,
    strike: (context) => killAndAwaitRestart(context, 'record'),
  },
];
