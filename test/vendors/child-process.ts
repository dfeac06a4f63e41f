/** A TypeScript module run as a child process (for tests that SIGKILL it). */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Compiles TypeScript on require in the child, as @swc/jest does for the tests (Nest's decorators included). */
const REGISTER_TYPESCRIPT = `
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};`;

export interface TypeScriptChild {
  process: ChildProcess;
  /** Resolves once the child prints `ready`; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<void>;
  /** SIGKILLs it if still running, and waits for it to go. */
  kill(): Promise<void>;
}

/** Runs `entry` (a .ts file) in a new Node process with `env` added to this one's. */
export function spawnTypeScript(entry: string, env: Record<string, string>): TypeScriptChild {
  const child = spawn(process.execPath, ['-e', `${REGISTER_TYPESCRIPT}\nrequire(${JSON.stringify(entry)});`], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error(`${entry} exited before it was ready`)));
  });
  return {
    process: child,
    ready,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
