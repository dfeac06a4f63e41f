// Obtains the official Temporal CLI (whose `server start-dev` is the local Temporal server)
// and builds its command line. Plain JavaScript: it runs before dependencies are installed.
//
//   node scripts/temporal.mjs path     prints the binary's path, building it first if needed
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The newest Temporal CLI release that `go install` accepts (later ones carry a `replace` directive). */
export const TEMPORAL_CLI = { module: 'github.com/temporalio/cli/cmd/temporal', version: 'v1.5.1' };
export const TOOLS_BIN = join(ROOT, 'tools', 'bin');
const BUILT = join(TOOLS_BIN, 'temporal');

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function isTemporalCli(path) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return result.status === 0 && /temporal version/i.test(result.stdout);
}

/** A `temporal` already on PATH, else the one built into tools/, else undefined. */
export function findTemporal() {
  const existing = onPath('temporal');
  if (existing && isTemporalCli(existing)) return existing;
  return existsSync(BUILT) ? BUILT : undefined;
}

/** Returns the Temporal CLI's path, building it once with the Go toolchain when there is none. */
export function ensureTemporal(log = (line) => console.error(line)) {
  const found = findTemporal();
  if (found) return found;
  const go = onPath('go');
  if (!go) {
    throw new Error(
      'Firebreak needs the Temporal CLI and found none. Either put `temporal` on PATH ' +
        '(https://docs.temporal.io/cli) or install Go 1.23+ so Firebreak can build it ' +
        `(go install ${TEMPORAL_CLI.module}@${TEMPORAL_CLI.version}).`,
    );
  }
  log(`Building the Temporal CLI ${TEMPORAL_CLI.version} with Go into tools/bin (once; a few minutes)...`);
  // Build into a private folder, then rename: a concurrent build never leaves a half-written binary.
  const staging = join(ROOT, 'tools', `.build-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(go, ['install', `${TEMPORAL_CLI.module}@${TEMPORAL_CLI.version}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOBIN: staging, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    });
    mkdirSync(TOOLS_BIN, { recursive: true });
    renameSync(join(staging, 'temporal'), BUILT);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Temporal CLI ready at ${BUILT}`);
  return BUILT;
}

/**
 * Arguments for `temporal server start-dev`: bound to `ip`, SQLite at `dbFile` when given
 * (in memory otherwise), the Web UI on `uiPort` (headless when absent), and Firebreak's
 * search attributes registered.
 */
export function devServerArgs({ ip, port, uiPort, dbFile, namespace = 'default', searchAttributes = [], logLevel = 'error' }) {
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace];
  args.push('--log-level', logLevel, '--log-format', 'pretty');
  if (dbFile) args.push('--db-filename', dbFile);
  if (uiPort) args.push('--ui-port', String(uiPort), '--ui-ip', ip);
  else args.push('--headless');
  for (const { name, type } of searchAttributes) args.push('--search-attribute', `${name}=${type}`);
  return args;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command !== 'path') {
    console.error('usage: node scripts/temporal.mjs path');
    process.exit(2);
  }
  try {
    console.log(ensureTemporal());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
