// `npm run bench [-- --quick]`: installs what is missing, obtains the Temporal CLI, builds
// Firebreak and the bench (tsc -p bench/tsconfig.json into dist/bench-build/, apart from the
// dist/ that `npm start` and others rebuild), then runs the bench driver
// (dist/bench-build/bench/main.js) with a private Temporal dev server: file-backed SQLite in
// a temporary directory, Firebreak's search attributes, started as `npm start` starts it
// (devServerArgs) on a free loopback port. Arguments after `--` go to the driver; see
// docs/performance.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureN8n } from './n8n.mjs';
import { ensureDependencies, runBin } from './setup.mjs';
import { devServerArgs, ensureTemporal, ROOT } from './temporal.mjs';

const require = createRequire(import.meta.url);

function freePort(host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The dev server's name for a search attribute type (as scripts/start.mjs registers them). */
function temporalType(type) {
  const names = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime' };
  return names[type] ?? type;
}

// `--allow-type-errors` (for the launcher only): run what tsc emitted despite type errors
// elsewhere in a tree under edit. The figures are then of that tree, whatever it holds.
const driverArgs = process.argv.slice(2).filter((arg) => arg !== '--allow-type-errors');
const allowTypeErrors = driverArgs.length !== process.argv.length - 2;

ensureDependencies();
const temporal = ensureTemporal();
// `--peer=n8n`: n8n and its Node, installed into tools/ on first use (scripts/n8n.mjs).
const n8n = driverArgs.includes('--peer=n8n') ? ensureN8n() : undefined;
console.error('Building Firebreak and the bench (tsc -p bench/tsconfig.json)...');
if (allowTypeErrors) {
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules', '.bin', 'tsc'), '-p', 'bench/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) console.error('tsc reported errors (above); running the JavaScript it emitted anyway (--allow-type-errors).');
} else {
  runBin('tsc', ['-p', 'bench/tsconfig.json']);
}

const { SEARCH_ATTRIBUTES } = require(join(ROOT, 'dist/bench-build/core/model/search-attributes.js'));
const host = '127.0.0.1';
const port = await freePort(host);
const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
const args = devServerArgs({
  ip: host,
  port,
  dbFile: join(dataDir, 'temporal.db'),
  searchAttributes: SEARCH_ATTRIBUTES.map(({ name, type }) => ({ name, type: temporalType(type) })),
});
// To compare server settings without editing devServerArgs, e.g.
// BENCH_DEV_SERVER_ARGS='--sqlite-pragma synchronous=normal' (the last value given wins)
if (process.env.BENCH_DEV_SERVER_ARGS) args.push(...process.env.BENCH_DEV_SERVER_ARGS.split(/\s+/).filter(Boolean));
const version = spawnSync(temporal, ['--version'], { encoding: 'utf8' }).stdout.trim();

const driver = spawn(process.execPath, [join(ROOT, 'dist/bench-build/bench/main.js'), ...driverArgs], {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    BENCH_TEMPORAL: JSON.stringify({ binary: temporal, args, address: `${host}:${port}`, dataDir, version }),
    ...(n8n ? { BENCH_N8N: JSON.stringify(n8n) } : {}),
  },
});
// Ctrl-C reaches the driver too (same process group); it stops its children and exits.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => driver.kill('SIGTERM'));
driver.on('exit', (code, signal) => {
  // The driver removes its data directory; this is the safety net for a crash.
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
