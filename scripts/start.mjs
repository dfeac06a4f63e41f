// `npm start`: installs what is missing, builds, then runs the Temporal dev server, the
// embedded incident record (when DATABASE_URL is unset), the worker and the API as supervised
// children. A child that dies is restarted with back-off while the
// others keep serving (scripts/supervisor.mjs); one that keeps failing stops everything with a
// non-zero exit and the reason. Ctrl-C stops them all.
//
//   node scripts/start.mjs [--dist DIR]   DIR: code already built by tsc (skips install and builds)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDependencies, runBin } from './setup.mjs';
import { restartPolicyFrom, Supervisor } from './supervisor.mjs';
import { devServerArgs, ensureTemporal, ROOT } from './temporal.mjs';
import { ensureConsole, WEB_DIST } from './web.mjs';

const require = createRequire(import.meta.url);
let supervisor;
let stopping = false;

function portOpen(host, port) {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('timeout', () => (socket.destroy(), done(false)));
    socket.once('error', () => done(false));
  });
}

function portFree(host, port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

async function nextFreePort(host, from) {
  for (let port = from; port < from + 100; port++) if (await portFree(host, port)) return port;
  throw new Error(`no free port in ${from}-${from + 99} on ${host}`);
}

async function waitFor(what, check, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (stopping) throw new Error('stopped');
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000}s`);
}

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.error(`\n${reason}`);
  // In reverse start order: the API first, the Temporal server last.
  await supervisor?.stopAll();
  process.exit(code);
}

async function main() {
  const { values: options } = parseArgs({ options: { dist: { type: 'string' } } });
  const dist = options.dist ? resolve(options.dist) : join(ROOT, 'dist');
  supervisor = new Supervisor({
    cwd: ROOT,
    policy: restartPolicyFrom(process.env),
    onGiveUp: (reason) => void shutdown(1, `${reason}; stopping everything`),
  });
  if (!options.dist) {
    ensureDependencies();
    console.error('Building...');
    runBin('tsc', ['-p', 'tsconfig.build.json']);
  }
  const { loadConfig } = require(join(dist, 'core/schemas/config.js'));
  const { SEARCH_ATTRIBUTES } = require(join(dist, 'core/model/search-attributes.js'));
  const config = loadConfig(process.env);
  const dataDir = resolve(ROOT, config.dataDir);
  const consoleNote = options.dist ? '   (not built by npm start --dist)' : await buildConsole(config);
  mkdirSync(dataDir, { recursive: true });

  let adminKeyFile;
  if (!config.apiKeys) {
    const keyFile = join(dataDir, 'api-key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    adminKeyFile = keyFile;
  }

  const [temporalHost, temporalPortText] = config.temporal.address.split(/:(?=\d+$)/);
  const temporalPort = Number(temporalPortText);
  const temporal = ensureTemporal();
  let uiUrl = '(not started by npm start)';
  if (await portOpen(temporalHost, temporalPort)) {
    console.error(`Using the Temporal server already listening on ${config.temporal.address}.`);
  } else {
    const uiPort = await nextFreePort(temporalHost, 8233);
    uiUrl = `http://${temporalHost}:${uiPort}`;
    const args = devServerArgs({
      ip: temporalHost,
      port: temporalPort,
      uiPort,
      dbFile: join(dataDir, 'temporal.db'),
      namespace: config.temporal.namespace,
      searchAttributes: SEARCH_ATTRIBUTES.map(({ name, type }) => ({ name, type: temporalType(type) })),
    });
    // Restarted on the same SQLite file, so a restart loses nothing it had committed.
    supervisor.start('temporal', temporal, args);
    await waitFor('the Temporal server', () => portOpen(temporalHost, temporalPort), 60_000);
    await setRetention(temporal, config);
  }

  const env = { ...process.env, DATA_DIR: dataDir };
  let recordNote = '(DATABASE_URL)';
  if (!config.databaseUrl) {
    env.DATABASE_URL = await startEmbeddedRecord(dist, dataDir);
    recordNote = `${env.DATABASE_URL}   (embedded PGlite in ${join(dataDir, 'record')})`;
  }
  // The worker's response-time histograms (fed by the record), on a port of their own.
  const metricsHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  env.WORKER_METRICS_PORT ??= String(await nextFreePort(metricsHost, 9464));
  let workerPolling = false;
  const worker = supervisor.start('worker', process.execPath, [join(dist, 'apps/worker/src/main.js')], {
    env,
    onLine: (line) => {
      if (line.includes('worker polling')) workerPolling = true;
    },
  });
  await waitFor('the worker', () => workerPolling, 120_000);
  worker.onLine = undefined;

  supervisor.start('api', process.execPath, [join(dist, 'apps/api/src/main.js')], { env });
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const apiUrl = `http://${host}:${config.port}`;
  await waitFor('the API', async () => (await fetch(`${apiUrl}/healthz`).catch(() => undefined))?.ok === true, 60_000);

  console.log(
    [
      '',
      'Firebreak is running.',
      `  Console      ${apiUrl}/${consoleNote}`,
      `  API          ${apiUrl}`,
      `  OpenAPI      ${apiUrl}/docs`,
      `  Metrics      ${apiUrl}/metrics (API, with a key), http://${metricsHost}:${env.WORKER_METRICS_PORT}/metrics (worker)`,
      `  Temporal UI  ${uiUrl}`,
      `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      `  Record       ${recordNote}`,
      adminKeyFile ? `  Admin key    in ${adminKeyFile}` : '  API keys     from API_KEYS',
      '',
      `Try: curl -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\`,
      `       -d '{"source":"demo","summary":"Checkout latency high","status":"firing","labels":{"service":"checkout"}}' \\`,
      `       ${apiUrl}/v1/alerts`,
      'A child that dies is restarted; Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

/**
 * How long the dev server keeps closed workflows (`TEMPORAL_RETENTION_DAYS`; its own default
 * is a day). Only for the server npm start started; the namespace may take a moment to be
 * there after the port opens.
 */
async function setRetention(temporal, config) {
  const args = ['operator', 'namespace', 'update', '--namespace', config.temporal.namespace, '--retention', `${config.temporalRetentionDays * 24}h`];
  args.push('--address', config.temporal.address);
  let last;
  await waitFor(
    `the namespace retention (temporal ${args.join(' ')})`,
    () => {
      last = spawnSync(temporal, args, { encoding: 'utf8' });
      return last.status === 0;
    },
    60_000,
  ).catch((error) => {
    throw new Error(`${error.message}: ${(last?.stderr ?? '').trim()}`);
  });
}

/**
 * The embedded record (PGlite under DATA_DIR/record) as a supervised child on a port fixed
 * for this start, so a restarted child answers at the URL the worker and the API were given.
 * Answers its URL once it serves.
 */
async function startEmbeddedRecord(dist, dataDir) {
  const port = await nextFreePort('127.0.0.1', 54320);
  let url;
  const record = supervisor.start('record', process.execPath, [join(dist, 'record/embedded-server.js')], {
    env: { ...process.env, RECORD_DIR: join(dataDir, 'record'), RECORD_PORT: String(port), RECORD_HOST: '127.0.0.1' },
    onLine: (line) => {
      const ready = /record ready at (\S+)/.exec(line);
      if (ready) url = ready[1];
    },
  });
  await waitFor('the embedded record', () => url !== undefined, 120_000);
  record.onLine = undefined;
  return url;
}

/**
 * Builds the console the API serves when it is missing or older than its sources (only when
 * the API serves it from apps/web/dist). The API runs without it, so a failed build is said,
 * not fatal; answers a note for the Console line.
 */
async function buildConsole(config) {
  if (resolve(ROOT, config.webRoot) !== WEB_DIST) return `   (served from WEB_ROOT=${config.webRoot})`;
  try {
    await ensureConsole();
    return '   (sign in with an API key)';
  } catch (error) {
    console.error(`The console was not built: ${error instanceof Error ? error.message : error}`);
    return '   (not built: see above; npm run build:web)';
  }
}

/** The dev server's name for a search attribute type. */
function temporalType(type) {
  const names = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime' };
  return names[type] ?? type;
}

process.on('SIGINT', () => void shutdown(0, 'Stopping...'));
process.on('SIGTERM', () => void shutdown(0, 'Stopping...'));
main().catch((error) => void shutdown(1, `npm start failed: ${error.message}`));
