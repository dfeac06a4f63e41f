/**
 * For the specs that run Firebreak's own start scripts (`npm start`, `npm run cluster`) as
 * real processes: the built code they run, their output, and whether a process is gone.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(__dirname, '..', '..');

/**
 * Code built by tsc for the scripts' `--dist`: `FIREBREAK_TEST_DIST` when set (built once for
 * the run), else compiled into `dist/test-deploy/<name>` so spec files running at once never
 * write over each other's build.
 */
export function builtCode(name: string): string {
  const prebuilt = process.env.FIREBREAK_TEST_DIST;
  if (prebuilt) return prebuilt;
  const outDir = join(ROOT, 'dist', 'test-deploy', name);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir, '--tsBuildInfoFile', join(outDir, '.tsbuildinfo')], {
    stdio: 'pipe',
  });
  return outDir;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A loopback port free at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** The child and pid a supervisor's `[supervisor] started <name> (pid N)` line names (scripts/supervisor.mjs). */
export function startedChild(line: string): { name: string; pid: number } | undefined {
  const match = /^\[supervisor\] started (\S+) \(pid (\d+)\)$/.exec(line);
  return match ? { name: match[1], pid: Number(match[2]) } : undefined;
}

/** For {@link ScriptProcess.line}: the pid of the supervisor's line starting `name`. */
export const startedPid = (name: string) => (line: string) => {
  const started = startedChild(line);
  return started?.name === name ? started.pid : undefined;
};

/** Pids of live processes whose command line mentions `text` (a temporary folder's path). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // Gone while reading.
    }
  }
  return found;
}

/** A script run as a child: its output kept (the last lines, for failure messages) and its exit. */
export class ScriptProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly recent: { line: string; stream: 'stdout' | 'stderr' }[] = [];
  private readonly listeners = new Set<(line: string, stream: 'stdout' | 'stderr') => void>();

  /** `root`: the repository whose scripts/ holds `script` (a build elsewhere, such as the chaos run's, names it). */
  constructor(script: string, args: string[], env: NodeJS.ProcessEnv, root = ROOT) {
    this.child = spawn(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, env, stdio: 'pipe' });
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: this.child[stream] }).on('line', (line) => {
        this.recent.push({ line, stream });
        if (this.recent.length > 200) this.recent.shift();
        for (const listener of this.listeners) listener(line, stream);
      });
    }
    this.exited = new Promise((done) => this.child.once('exit', (code, signal) => done({ code, signal })));
  }

  /**
   * The first line (of `stream`, or either) that `match` accepts, answered as `match` maps it;
   * `since` also searches the lines already kept.
   */
  line<T>(match: (line: string) => T | undefined, { stream, timeoutMs, since = false }: { stream?: 'stdout' | 'stderr'; timeoutMs: number; since?: boolean }): Promise<T> {
    if (since) {
      for (const kept of this.recent) {
        const value = !stream || kept.stream === stream ? match(kept.line) : undefined;
        if (value !== undefined) return Promise.resolve(value);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no matching line within ${timeoutMs} ms; last output:\n${this.output()}`)), timeoutMs);
      const onExit = () => finish(new Error(`the script exited before a matching line; last output:\n${this.output()}`));
      const listener = (line: string, from: 'stdout' | 'stderr') => {
        if (stream && from !== stream) return;
        const value = match(line);
        if (value !== undefined) finish(undefined, value);
      };
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value as T);
      };
      this.listeners.add(listener);
      this.child.once('exit', onExit);
    });
  }

  /** Calls `listener` with every line from now on; answers what stops it. */
  follow(listener: (line: string, stream: 'stdout' | 'stderr') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  output(): string {
    return this.recent.map(({ line }) => line).join('\n');
  }

  /** Stops it (SIGTERM) and waits for its exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/**
 * `npm start` (scripts/start.mjs) on the code built in `dist`, on loopback, free ports and a
 * fresh DATA_DIR in the temporary folder (the caller removes it), with the admin key it
 * generates there (`DATA_DIR/api-key`, API_KEYS unset); `extra` is added to its environment.
 */
export async function startNpmStart(dist: string, extra: NodeJS.ProcessEnv = {}, root = ROOT): Promise<{ dataDir: string; api: string; start: ScriptProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-start-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, DATA_DIR: dataDir, ...extra };
  delete env.API_KEYS;
  return { dataDir, api: `http://127.0.0.1:${port}`, start: new ScriptProcess('start.mjs', ['--dist', dist], env, root) };
}
