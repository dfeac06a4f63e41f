/**
 * For the specs that run Firebreak's own start scripts (`npm start`, `npm run cluster`) as
 * real processes: the built code they run, their output, and whether a process is gone.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

  constructor(script: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env, stdio: 'pipe' });
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

  output(): string {
    return this.recent.map(({ line }) => line).join('\n');
  }

  /** Stops it (SIGTERM) and waits for its exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
