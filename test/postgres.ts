/**
 * A throw-away PostgreSQL server for a test (scripts/postgres.mjs: Debian's PostgreSQL, its
 * own data folder, a free port on 127.0.0.1, durability defaults). It runs in a child process
 * of the test, which stops it when the test process goes away, so a test that crashes leaves
 * no server behind.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** How `restart` stops the server: PostgreSQL's shutdown modes; `immediate` is a crash as far as the data is concerned. */
export type PostgresShutdown = 'smart' | 'fast' | 'immediate';

export interface TestPostgres {
  /** `postgres://…` for the `firebreak` database, password included. */
  url: string;
  host: string;
  port: number;
  /** The postmaster's pid. */
  pid: number;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
  /** Stops the server (`fast` by default) and starts it again on the same port and data. */
  restart(mode?: PostgresShutdown): Promise<void>;
  /** Stops the server (`fast` by default), keeping its data and port: an outage until {@link resume}. */
  pause(mode?: PostgresShutdown): Promise<void>;
  /** Starts a paused server again on the same port and data. */
  resume(): Promise<void>;
}

const SCRIPT = join(__dirname, '..', 'scripts', 'postgres.mjs');

/** Starts a PostgreSQL server for this test; `stop()` it in `afterAll`. */
export async function startPostgres({ timeoutMs = 60_000 } = {}): Promise<TestPostgres> {
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(process.execPath, [SCRIPT, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const next = nextLine(lines, child, timeoutMs);
  const started = (await next()) as { url: string; host: string; port: number; pid: number };
  const handle: TestPostgres = {
    url: started.url,
    host: started.host,
    port: started.port,
    pid: started.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end('stop\n');
      await exited;
    },
    async restart(mode: PostgresShutdown = 'fast') {
      child.stdin.write(`restart ${mode}\n`);
      const answer = (await next()) as { restarted?: boolean; pid?: number; error?: string };
      if (!answer.restarted) throw new Error(`PostgreSQL did not restart: ${answer.error ?? JSON.stringify(answer)}`);
      handle.pid = answer.pid ?? handle.pid;
    },
    async pause(mode: PostgresShutdown = 'fast') {
      child.stdin.write(`pause ${mode}\n`);
      const answer = (await next()) as { paused?: boolean; error?: string };
      if (!answer.paused) throw new Error(`PostgreSQL did not stop: ${answer.error ?? JSON.stringify(answer)}`);
    },
    async resume() {
      child.stdin.write('resume\n');
      const answer = (await next()) as { resumed?: boolean; pid?: number; error?: string };
      if (!answer.resumed) throw new Error(`PostgreSQL did not start again: ${answer.error ?? JSON.stringify(answer)}`);
      handle.pid = answer.pid ?? handle.pid;
    },
  };
  return handle;
}

/** Reads the script's answers, one JSON object a line, failing when it exits or stays silent. */
function nextLine(lines: Interface, child: ChildProcessByStdio<Writable, Readable, null>, timeoutMs: number): () => Promise<unknown> {
  const pending: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let ended = false;
  lines.on('line', (line) => (waiting ? waiting(line) : pending.push(line)));
  child.once('exit', () => {
    ended = true;
    waiting?.(undefined);
  });
  const wait = () =>
    new Promise<string | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`scripts/postgres.mjs said nothing within ${timeoutMs} ms`)), timeoutMs);
      waiting = (value) => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(value);
      };
    });
  return async () => {
    const line = pending.shift() ?? (ended ? undefined : await wait());
    if (line === undefined) throw new Error('scripts/postgres.mjs exited (its output is above)');
    return JSON.parse(line) as unknown;
  };
}
