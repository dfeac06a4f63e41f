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
 * Dynamic config every Temporal server Firebreak starts carries (the dev server, `npm run
 * cluster`'s server; docker-compose.yml writes the same): the matcher that honours task
 * priority, so a SEV0–SEV1 incident's tasks are handed to workers ahead of a storm's backlog
 * (core/model/search-attributes.ts `incidentTaskPriority`). Without it, tasks go first come,
 * first served and priority keys are ignored.
 */
export const TASK_PRIORITY_CONFIG = { 'matching.useNewMatcher': true };

/**
 * Server settings that make the single-machine dev server answer fast without giving up
 * durability (docs/decisions/2026-11-21-dev-server-settings.md has the measurements):
 * - SQLite in WAL mode with synchronous=FULL: each commit is one append and one fsync of the
 *   write-ahead log instead of the default rollback journal's several writes and fsyncs;
 *   exactly as durable (a committed transaction survives a crash of the process, the OS or
 *   the power).
 * - The history service's queue readers (transfer: workflow and activity tasks; visibility:
 *   the list API's search attributes) may poll as often as tasks arrive. Their default of 20
 *   polls a second is meant for clusters of many shards; the dev server has one shard, so
 *   every task waited up to 50 ms for its shard's next poll, on every hop.
 * - Eager activity dispatch: the activity a workflow task schedules goes back to the worker
 *   in the answer to that task (when it has a free slot) instead of a round trip through
 *   matching. Dispatch only: the activity is recorded in history exactly as before.
 * - Task priority ({@link TASK_PRIORITY_CONFIG}).
 */
export const DEV_SERVER_TUNING = {
  sqlitePragmas: ['journal_mode=wal', 'synchronous=full'],
  dynamicConfig: [
    'history.transferProcessorMaxPollRPS=1000',
    'history.visibilityProcessorMaxPollRPS=1000',
    'system.enableActivityEagerExecution=true',
    ...Object.entries(TASK_PRIORITY_CONFIG).map(([key, value]) => `${key}=${value}`),
  ],
};

/**
 * Arguments for `temporal server start-dev`: bound to `ip`, SQLite at `dbFile` when given
 * (in memory otherwise), the Web UI on `uiPort` (headless when absent), Firebreak's
 * search attributes registered, and {@link DEV_SERVER_TUNING}.
 */
export function devServerArgs({ ip, port, uiPort, dbFile, namespace = 'default', searchAttributes = [], logLevel = 'error' }) {
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace];
  args.push('--log-level', logLevel, '--log-format', 'pretty');
  if (dbFile) {
    args.push('--db-filename', dbFile);
    for (const pragma of DEV_SERVER_TUNING.sqlitePragmas) args.push('--sqlite-pragma', pragma);
  }
  for (const value of DEV_SERVER_TUNING.dynamicConfig) args.push('--dynamic-config-value', value);
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
