/**
 * The servers the record's tests run against: the embedded PGlite always, and a throw-away
 * PostgreSQL cluster (test/postgres.ts) when the repository has that harness. Each gives a
 * fresh, empty database and can be paused (the server unreachable) and resumed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnTypeScript, type TypeScriptChild } from '../../test/vendors/child-process';

export interface RecordTestServer {
  url: string;
  /** Makes the server unreachable (stopped), keeping its data. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface RecordServerKind {
  name: 'pglite' | 'postgresql';
  start(): Promise<RecordTestServer>;
}

/** What test/postgres.ts exports. */
interface PostgresHarness {
  startPostgres(): Promise<{ url: string; pid: number; stop(): Promise<void>; pause?(): Promise<void>; resume?(): Promise<void> }>;
}

function postgresHarness(): PostgresHarness | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../test/postgres') as PostgresHarness;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

let databases = 0;

/** A new database on a PostgreSQL server, so each test file starts empty. */
async function freshDatabase(url: string): Promise<string> {
  const name = `record_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}

/**
 * The embedded record's own entry point in a child process (PGlite loads its WebAssembly
 * through dynamic imports, which jest's module sandbox refuses). Pausing stops the process,
 * its database flushed; resuming starts it again on the same folder and port.
 */
async function embeddedChild(dir: string, port = 0): Promise<{ child: TypeScriptChild; url: string }> {
  const child = spawnTypeScript(join(__dirname, '..', 'embedded-server.ts'), { RECORD_DIR: dir, RECORD_PORT: String(port) });
  const url = new Promise<string>((resolve) => {
    let output = '';
    child.process.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /ready at (\S+)/.exec(output);
      if (found) resolve(found[1]);
    });
  });
  await child.ready;
  return { child, url: await url };
}

async function stopChild(child: TypeScriptChild): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
  await child.exited;
}

const pglite: RecordServerKind = {
  name: 'pglite',
  async start() {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-record-'));
    const started = await embeddedChild(dir);
    const { url } = started;
    let { child } = started;
    const port = Number(new URL(url).port);
    let running = true;
    return {
      url,
      async pause() {
        running = false;
        await stopChild(child);
      },
      async resume() {
        if (running) return;
        ({ child } = await embeddedChild(dir, port));
        running = true;
      },
      async stop() {
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * Without a pause in the harness, an outage is made by hand: the database's connections
 * ended and the postmaster stopped (SIGSTOP), so new connections go unanswered until SIGCONT.
 */
async function freezePostgres(url: string, pid: number): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  } finally {
    await admin.end();
  }
  process.kill(pid, 'SIGSTOP');
}

function postgresql(harness: PostgresHarness): RecordServerKind {
  return {
    name: 'postgresql',
    async start() {
      const cluster = await harness.startPostgres();
      const url = await freshDatabase(cluster.url);
      let frozen = false;
      return {
        url,
        async pause() {
          if (cluster.pause) return cluster.pause();
          await freezePostgres(url, cluster.pid);
          frozen = true;
        },
        async resume() {
          if (cluster.resume) return cluster.resume();
          if (frozen) process.kill(cluster.pid, 'SIGCONT');
          frozen = false;
        },
        async stop() {
          if (frozen) process.kill(cluster.pid, 'SIGCONT');
          await cluster.stop();
        },
      };
    },
  };
}

/** PGlite always; PostgreSQL too when test/postgres.ts exists. For `describe.each`. */
export function recordServerKinds(): RecordServerKind[] {
  const harness = postgresHarness();
  return harness ? [pglite, postgresql(harness)] : [pglite];
}
