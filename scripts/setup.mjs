// What `npm start` and `npm test` do first on any machine: install the npm dependencies
// when they are missing or older than the lock file.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './temporal.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function ensureDependencies() {
  const lock = join(ROOT, 'package-lock.json');
  const installed = join(ROOT, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.error('Installing npm dependencies...');
  // `npm install` from the lock, not `npm ci`: where a registry lacks other platforms' optional
  // builds (e.g. @swc/core's darwin and win32 packages), npm writes a lock without them and
  // then `npm ci` refuses that very lock. `npm install` installs the locked versions all the same.
  run(npm, ['install', '--no-audit', '--no-fund']);
}

/** Runs a command in the project root with the terminal attached; exits with its code on failure. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`\n${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Runs a locally installed npm binary (tsc, eslint, jest). */
export function runBin(name, args, options) {
  run(process.execPath, [join(ROOT, 'node_modules', '.bin', name), ...args], options);
}
