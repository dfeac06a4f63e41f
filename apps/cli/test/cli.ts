/**
 * Running the built `firebreak` CLI as a child process, as a person or a script would, with a
 * contexts file and a home of its own.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../../test/wait';

const ROOT = resolve(__dirname, '..', '..', '..');
/** The longest one CLI command may take in a test before it is killed and the test fails. */
const COMMAND_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Compiles the CLI with its own tsconfig (as bin/firebreak.js does) into `dist/test-cli/<name>`,
 * so test files running at once never write over each other's build. Returns its main.js.
 */
export function buildCli(name: string): string {
  const outDir = join(ROOT, 'dist', 'test-cli', name);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'apps', 'cli', 'tsconfig.build.json'), '--outDir', outDir], {
    stdio: 'pipe',
  });
  return join(outDir, 'apps', 'cli', 'src', 'main.js');
}

/** A running command (`incidents tail`, `runbooks run --wait`) whose output a test reads as it comes. */
export class RunningCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    this.exited = new Promise((done) =>
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout: this.stdout, stderr: this.stderr });
      }),
    );
  }

  /** Waits until stdout holds `text`. */
  printed(text: string, timeoutMs = 20_000): Promise<string> {
    return waitFor(`the CLI to print ${JSON.stringify(text)} (stdout so far: ${JSON.stringify(this.stdout.slice(-500))}; stderr: ${JSON.stringify(this.stderr.slice(-500))})`, () => this.stdout.includes(text) && this.stdout, {
      timeoutMs,
      intervalMs: 20,
    });
  }

  async stop(): Promise<CliResult> {
    this.child.kill('SIGINT');
    return this.exited;
  }
}

export class TestCli {
  /** The contexts file; its folder is the CLI's home too. */
  readonly configPath: string;
  private readonly home: string;

  constructor(
    readonly main: string,
    private readonly baseEnv: Record<string, string> = {},
  ) {
    this.home = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
    this.configPath = join(this.home, 'config.json');
  }

  private env(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: this.home, FIREBREAK_CONFIG: this.configPath, ...this.baseEnv };
    for (const [name, value] of Object.entries(extra)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env;
  }

  /** Starts a command and returns at once. */
  start(args: string[], options: { env?: Record<string, string | undefined> } = {}): RunningCli {
    return new RunningCli(spawn(process.execPath, [this.main, ...args], { env: this.env(options.env ?? {}), stdio: 'pipe' }));
  }

  /** Runs a command to its end. */
  run(args: string[], options: { env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliResult> {
    const running = this.start(args, options);
    running.child.stdin.end(options.stdin ?? '');
    return running.exited;
  }

  /** Runs a command with `-o json`, expects exit 0, and parses what it printed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers loosely, as test/http.ts does
  async json<T = any>(args: string[], options: { env?: Record<string, string | undefined> } = {}): Promise<T> {
    const result = await this.run([...args, '-o', 'json'], options);
    if (result.code !== 0) throw new Error(`firebreak ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Runs a command that should succeed, and returns what it printed. */
  async ok(args: string[], options: { env?: Record<string, string | undefined> } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`firebreak ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }
}

/** A local port nothing listens on (it did a moment ago): connecting to it is refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
