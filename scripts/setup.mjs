// What `npm start` and `npm test` do first on any machine: install the npm dependencies
// when they are missing or older than the lock file.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './temporal.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Arguments of the install: exactly what package-lock.json lists, without ever writing it. */
export const INSTALL_ARGS = ['ci', '--no-audit', '--no-fund'];

export function ensureDependencies() {
  const lock = join(ROOT, 'package-lock.json');
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('Installing npm dependencies from package-lock.json...');
  // `npm ci`, not `npm install`: `npm install` rewrites the lock whenever it differs from what
  // npm would write on this machine (a lock written where the registry lacked other platforms'
  // optional builds gained hundreds of lines), which left every fresh clone dirty after its
  // first run. `npm ci` installs the lock as it is, or refuses a lock out of step with
  // package.json; test/repository/clean-clone.spec.ts keeps the committed lock acceptable to it.
  run(npm, INSTALL_ARGS, {
    hint:
      'package-lock.json is out of step with package.json: run `npm install` once, ' +
      'check what it changed in package-lock.json, and commit it.',
  });
}

/**
 * Runs a command in the project root with the terminal attached; exits with its code on
 * failure, after `hint` when given.
 */
export function run(command, args, options = {}) {
  const { hint, ...spawnOptions } = options;
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...spawnOptions });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`\n${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`);
    if (hint) console.error(hint);
    process.exit(result.status ?? 1);
  }
}

/** Runs a locally installed npm binary (tsc, eslint, jest). */
export function runBin(name, args, options) {
  run(process.execPath, [join(ROOT, 'node_modules', '.bin', name), ...args], options);
}
