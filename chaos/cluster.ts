/**
 * `npm run cluster` as the chaos run uses it: started as a child with the vendors' settings
 * in its environment (its processes inherit them), described by its JSON line, its current
 * pids read from the description file it rewrites on every restart, and stopped with
 * SIGTERM, which stops every process it started and removes its folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor } from '../test/wait';

export interface ClusterPart {
  name: string;
  pid?: number;
  log: string;
}

export interface ClusterDescription {
  dir: string;
  descriptionFile: string;
  logs: string;
  postgres: ClusterPart & { url: string };
  temporal: ClusterPart & { address: string };
  adminKeyFile: string;
  workers: ClusterPart[];
  apis: Array<ClusterPart & { url: string }>;
}

/** What a chaos run breaks, in either shape: `npm run cluster` or `npm start` (chaos/start.ts). */
export interface Deployment {
  /** As the invariants name it: `the cluster`, `npm start`. */
  name: string;
  /** Where its files are, for the log. */
  dir: string;
  apiUrls: string[];
  adminKey: string;
  /** The current pid of a process it runs, by the name it gives it. */
  pid(name: string): number;
  /** Whether it is still running (it has not given up). */
  running(): boolean;
  stop(): Promise<void>;
}

export interface Cluster extends Deployment {
  description: ClusterDescription;
}

const ROOT = join(__dirname, '..', '..', '..');

/** Starts the cluster on the code in `dist` (this run's build) and waits for its description. */
export async function startCluster(dist: string, env: Record<string, string>, { startTimeoutMs = 600_000 } = {}): Promise<Cluster> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'scripts', 'cluster.mjs'), '--json', '--dist', relative(ROOT, dist)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  // The cluster's children die with it (parent-death signal); this makes it die with us.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const described = new Promise<ClusterDescription>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as ClusterDescription));
    void exited.then((code) => reject(new Error(`npm run cluster exited with code ${code} before it was ready`)));
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), startTimeoutMs);
  const description = await described.finally(() => clearTimeout(timer));
  const adminKey = readFileSync(description.adminKeyFile, 'utf8').trim();
  return {
    name: 'the cluster',
    dir: description.dir,
    apiUrls: description.apis.map((api) => api.url),
    description,
    adminKey,
    pid(name) {
      const current = JSON.parse(readFileSync(description.descriptionFile, 'utf8')) as ClusterDescription;
      const part = [current.postgres, current.temporal, ...current.workers, ...current.apis].find((p) => p.name === name);
      if (!part?.pid) throw new Error(`the cluster describes no running ${name}`);
      return part.pid;
    },
    running: () => !ended,
    async stop() {
      if (!ended) child.kill('SIGTERM');
      await exited;
      process.removeListener('exit', killOnExit);
    },
  };
}

/**
 * Waits until the deployment has restarted `name` after a kill (a pid other than `killedPid`
 * that is alive), within a bound; answers the new pid.
 */
export function restarted(deployment: Deployment, name: string, killedPid: number, timeoutMs = 120_000): Promise<number> {
  return waitFor(
    `${name} to be restarted`,
    () => {
      const pid = deployment.pid(name);
      return pid !== killedPid && alive(pid) ? pid : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Whether a process with `pid` exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
