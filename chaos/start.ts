/**
 * `npm start` as the chaos run's start shape uses it (`--shape start`): scripts/start.mjs on
 * this run's build (`--dist`) with the vendors' settings in its environment (its children
 * inherit them), on free ports and a DATA_DIR of its own; the current pid of each child
 * (`temporal`, `record`, `worker`, `api`) is the one its supervisor last said it started
 * (`[supervisor] started <name> (pid N)`). Stopped with SIGTERM, which stops every child; its
 * folder goes with it, and its whole output stays in `<dist>/npm-start.log`.
 */
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startedChild, startNpmStart } from '../test/deploy/processes';
import type { Deployment } from './cluster';

const ROOT = join(__dirname, '..', '..', '..');

/** A child's output line, as npm start prints it: behind the child's name. */
const CHILD_LINE = /^\[(temporal|record|worker|api)\] /;

export interface SingleBoxOptions {
  /** The repository whose scripts/start.mjs runs. @default the one this build is in */
  root?: string;
  /** @default 600 s */
  startTimeoutMs?: number;
  /** Whether npm start's own lines and its supervisor's are shown on stderr. @default true */
  echo?: boolean;
}

/** Starts `npm start` on the code in `dist` (this run's build) and waits until it says it is running. */
export async function startSingleBox(dist: string, env: Record<string, string>, { root = ROOT, startTimeoutMs = 600_000, echo = true }: SingleBoxOptions = {}): Promise<Deployment> {
  // The embedded record is part of the shape: a DATABASE_URL of the caller's would replace it.
  const { dataDir, api, start } = await startNpmStart(dist, { ...env, DATABASE_URL: undefined }, root);
  const logFile = join(dist, 'npm-start.log');
  const log = createWriteStream(logFile);
  const pids = new Map<string, number>();
  const unfollow = start.follow((line) => {
    log.write(`${line}\n`);
    // The supervisor's lines and npm start's own; the children's are in the log.
    if (echo && !CHILD_LINE.test(line)) console.error(`[npm start] ${line}`);
    const started = startedChild(line);
    if (started) pids.set(started.name, started.pid);
  });
  // The children die with npm start (parent-death signal); this makes npm start die with us.
  const killOnExit = () => start.child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let ended = false;
  void start.exited.then(() => (ended = true));
  const stop = async () => {
    await start.stop();
    unfollow();
    process.removeListener('exit', killOnExit);
    await new Promise((closed) => log.end(closed));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await start.line((line) => (line === 'Firebreak is running.' ? true : undefined), { stream: 'stdout', timeoutMs: startTimeoutMs });
  } catch (error) {
    await stop();
    throw new Error(`npm start did not come up (its output: ${logFile}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  return {
    name: 'npm start',
    dir: dataDir,
    apiUrls: [api],
    adminKey: readFileSync(join(dataDir, 'api-key'), 'utf8').trim(),
    pid(name) {
      const pid = pids.get(name);
      if (pid === undefined) throw new Error(`npm start has started no ${name}`);
      return pid;
    },
    running: () => !ended,
    stop,
  };
}
