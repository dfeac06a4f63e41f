// `npm start`: installs what is missing, builds, then runs the Temporal dev server, the worker
// and the API as supervised children. Ctrl-C stops them all; if one dies, the rest are stopped
// and this exits non-zero with the reason.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureDependencies, runBin } from './setup.mjs';
import { devServerArgs, ensureTemporal, ROOT } from './temporal.mjs';
import { ensureConsole, WEB_DIST } from './web.mjs';

const require = createRequire(import.meta.url);
const children = [];
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

/** Starts a child whose output is shown line by line behind its name. */
function supervise(name, command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, child, lines: [], exited: false };
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      entry.lines.push(line);
      console.log(`[${name}] ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    entry.exited = true;
    if (!stopping) void shutdown(1, `${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
  });
  children.push(entry);
  return entry;
}

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.error(`\n${reason}`);
  // Stop in reverse order: the API first, the Temporal server last.
  for (const { name, child, exited } of [...children].reverse()) {
    if (exited) continue;
    await new Promise((done) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => (clearTimeout(kill), done()));
      child.kill('SIGTERM');
    });
    console.error(`stopped ${name}`);
  }
  process.exit(code);
}

async function main() {
  ensureDependencies();
  console.error('Building...');
  runBin('tsc', ['-p', 'tsconfig.build.json']);
  const { loadConfig } = require(join(ROOT, 'dist/core/schemas/config.js'));
  const { SEARCH_ATTRIBUTES } = require(join(ROOT, 'dist/core/model/search-attributes.js'));
  const config = loadConfig(process.env);
  const dataDir = resolve(ROOT, config.dataDir);
  const consoleNote = await buildConsole(config);
  mkdirSync(dataDir, { recursive: true });

  let adminKey;
  if (!config.apiKeys) {
    const keyFile = join(dataDir, 'api-key');
    if (!existsSync(keyFile)) writeFileSync(keyFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    adminKey = readFileSync(keyFile, 'utf8').trim();
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
    supervise('temporal', temporal, args, process.env);
    await waitFor('the Temporal server', () => portOpen(temporalHost, temporalPort), 60_000);
  }

  const env = { ...process.env, DATA_DIR: dataDir };
  const worker = supervise('worker', process.execPath, [join(ROOT, 'dist/apps/worker/src/main.js')], env);
  await waitFor('the worker', () => worker.lines.some((line) => line.includes('worker polling')), 120_000);

  supervise('api', process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], env);
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
      `  Temporal UI  ${uiUrl}`,
      `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      adminKey ? `  Admin key    ${adminKey}   (stored in ${join(dataDir, 'api-key')})` : '  API keys     from API_KEYS',
      '',
      `Try: curl -H "Authorization: Bearer <key>" -H 'content-type: application/json' \\`,
      `       -d '{"source":"demo","summary":"Checkout latency high","status":"firing","labels":{"service":"checkout"}}' \\`,
      `       ${apiUrl}/v1/alerts`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
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
