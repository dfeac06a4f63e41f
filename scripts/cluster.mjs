// `npm run cluster`: Firebreak's production shape on one machine, without Docker. On 127.0.0.1
// and free ports, in one temporary folder: PostgreSQL (Debian's package), the Temporal server
// built from source on it, two workers and two APIs sharing one admin key and the incident
// record (its `firebreak` database). Every process is a supervised child
// (scripts/supervisor.mjs): restarted when it dies, all stopped on Ctrl-C or SIGTERM, and
// killed by the system if this process is killed. docs/cluster.md has the details.
//
//   node scripts/cluster.mjs [--no-firebreak] [--json] [--no-restart] [--dist DIR]
//     --no-firebreak  only PostgreSQL and the Temporal server
//     --json          print one JSON description of what runs on stdout (logs go to stderr)
//     --no-restart    leave a child that dies dead (a chaos run's kill stays a kill)
//     --dist DIR      run code already built by tsc in DIR; skip installing and building
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePorts, until } from './net.mjs';
import { initPostgres } from './postgres.mjs';
import { ensureDependencies, run } from './setup.mjs';
import { restartPolicyFrom, Supervisor } from './supervisor.mjs';
import { ensureTemporal, ROOT } from './temporal.mjs';
import { ensureTemporalServer, prepareNamespace, serverArgs, SERVER_PORTS, setupTemporalDatabases, writeServerConfig } from './temporal-server.mjs';

const require = createRequire(import.meta.url);
const WORKERS = 2;
const APIS = 2;
const log = (line) => console.error(line);

let supervisor;
let dir;
let stopping = false;

async function shutdown(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) log(`\n${reason}`);
  // Reverse start order: APIs, workers, the Temporal server, PostgreSQL (fast shutdown).
  await supervisor?.stopAll({ signalFor: (name) => (name === 'postgres' ? 'SIGINT' : 'SIGTERM') });
  // After a failure the folder stays, for its logs.
  if (dir && code === 0) rmSync(dir, { recursive: true, force: true });
  else if (dir) log(`Logs kept in ${join(dir, 'logs')}; remove ${dir} when done.`);
  process.exit(code);
}

/** The last lines of a log (stack frames left out), for the reason a child kept failing. */
function tail(file, lines = 15) {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.filter((line) => !/^\s+at /.test(line)).slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function main() {
  const { values: options } = parseArgs({
    options: {
      'no-firebreak': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'no-restart': { type: 'boolean', default: false },
      dist: { type: 'string' },
    },
  });
  const dist = options.dist ? resolve(options.dist) : join(ROOT, 'dist');
  const restart = !options['no-restart'];
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';

  if (!options.dist) {
    ensureDependencies();
    log('Building...');
    // tsc reports on stdout; keep stdout for the description.
    run(process.execPath, [join(ROOT, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.build.json'], { stdio: ['ignore', 2, 2] });
  }
  const { SEARCH_ATTRIBUTES } = require(join(dist, 'core/model/search-attributes.js'));
  const temporalCli = ensureTemporal(log);
  const release = ensureTemporalServer(log);

  dir = mkdtempSync(join(tmpdir(), 'firebreak-cluster-'));
  // PostgreSQL's system user (under root) passes through to its own folder; nothing else is open.
  chmodSync(dir, 0o711);
  const logs = join(dir, 'logs');
  mkdirSync(logs, { mode: 0o700 });
  const descriptionFile = join(dir, 'cluster.json');
  supervisor = new Supervisor({ cwd: ROOT, log, policy: restartPolicyFrom(process.env), onGiveUp: (why, name) => void shutdown(1, `${why}; stopping everything. The end of ${logFile(name)}:\n${tail(logFile(name))}`) });
  const aborted = () => stopping;
  const description = { dir, descriptionFile, logs };
  let described = false;
  // The description names current pids: rewritten whenever a child starts, for a chaos driver.
  const describe = () => {
    const pids = supervisor.pids();
    for (const part of [description.postgres, description.temporal, ...(description.workers ?? []), ...(description.apis ?? [])]) {
      if (part) part.pid = pids[part.name];
    }
    writeFileSync(descriptionFile, `${JSON.stringify(description, null, 2)}\n`);
  };
  const logFile = (name) => join(logs, `${name}.log`);
  const start = (name, command, args, extra = {}) => supervisor.start(name, command, args, { restart, logFile: logFile(name), onStart: () => described && describe(), ...extra });

  const pg = await initPostgres({ dir: join(dir, 'postgres') });
  start('postgres', pg.command, pg.args, { cwd: pg.cwd, uid: pg.uid, gid: pg.gid });
  description.postgres = { name: 'postgres', host: pg.host, port: pg.port, user: pg.user, passwordFile: pg.passwordFile, url: pg.urlFor('firebreak'), dataDir: pg.dataDir, log: logFile('postgres') };
  await until(`PostgreSQL on ${pg.host}:${pg.port}`, pg.ready, { aborted });
  pg.createDatabase('firebreak');
  log(`PostgreSQL ready on ${pg.host}:${pg.port}`);

  setupTemporalDatabases(release, pg);
  // One call, so no two of them are the same port: the APIs', then each worker's metrics.
  const processPorts = await freePorts(APIS + WORKERS);
  const apiPorts = processPorts.slice(0, APIS);
  const workerMetricsPorts = processPorts.slice(APIS);
  const serverPorts = await freePorts(SERVER_PORTS, { below: 32_768 });
  const server = writeServerConfig({ release, postgres: pg, dir, ports: serverPorts });
  start('temporal', release.server, serverArgs(server.file));
  description.temporal = { name: 'temporal', address: server.address, namespace, httpAddress: server.httpAddress, metricsAddress: server.metricsAddress, config: server.file, log: logFile('temporal') };
  await prepareNamespace({ temporalCli, address: server.address, namespace, searchAttributes: SEARCH_ATTRIBUTES, aborted });
  log(`Temporal server ${server.address} ready (namespace ${namespace})`);

  if (!options['no-firebreak']) {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const adminKeyFile = join(dataDir, 'api-key');
    writeFileSync(adminKeyFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
    description.dataDir = dataDir;
    description.adminKeyFile = adminKeyFile;
    // One DATA_DIR and one key for all: replicas share the admin key and the ack-link secret.
    // The incident record is the `firebreak` database on the same PostgreSQL.
    const env = { ...process.env, HOST: '127.0.0.1', TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: namespace, DATA_DIR: dataDir, DATABASE_URL: pg.urlFor('firebreak') };
    delete env.API_KEYS;
    delete env.PORT;
    delete env.WORKER_METRICS_PORT;

    description.workers = [];
    const polling = new Set();
    for (let i = 1; i <= WORKERS; i++) {
      const name = `worker-${i}`;
      const metricsPort = workerMetricsPorts[i - 1];
      description.workers.push({ name, metrics: `http://127.0.0.1:${metricsPort}/metrics`, log: logFile(name) });
      start(name, process.execPath, [join(dist, 'apps/worker/src/main.js')], {
        env: { ...env, WORKER_METRICS_PORT: String(metricsPort) },
        onLine: (line) => line.includes('worker polling') && polling.add(name),
      });
    }
    await until('the workers', () => polling.size === WORKERS, { timeoutMs: 180_000, aborted });

    description.apis = [];
    for (let i = 1; i <= APIS; i++) {
      const name = `api-${i}`;
      const url = `http://127.0.0.1:${apiPorts[i - 1]}`;
      description.apis.push({ name, url, log: logFile(name) });
      start(name, process.execPath, [join(dist, 'apps/api/src/main.js')], { env: { ...env, PORT: String(apiPorts[i - 1]) } });
    }
    for (const { name, url } of description.apis) {
      await until(name, async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true, { timeoutMs: 120_000, aborted });
    }
  }
  describe();
  described = true;

  if (options.json) {
    process.stdout.write(`${JSON.stringify(description)}\n`);
  } else {
    const lines = [
      '',
      'The Firebreak cluster is running.',
      `  PostgreSQL   ${pg.host}:${pg.port} (user ${pg.user}, password in ${pg.passwordFile})`,
      `  Temporal     ${server.address} (namespace ${namespace}; HTTP ${server.httpAddress}, metrics http://${server.metricsAddress}/metrics)`,
      ...(description.workers ?? []).map(({ name, pid, metrics }) => `  ${name.padEnd(12)} pid ${pid}, metrics ${metrics}`),
      ...(description.apis ?? []).map(({ name, url, pid }) => `  ${name.padEnd(12)} ${url}   (pid ${pid})`),
      ...(description.adminKeyFile ? [`  Admin key    in ${description.adminKeyFile}`] : []),
      `  Logs         ${logs}`,
      `  Described in ${descriptionFile} (current pids)`,
      '',
      `Everything lives in ${dir}, removed on exit. ${restart ? 'A child that dies is restarted; ' : ''}Ctrl-C stops everything.`,
      '',
    ];
    console.log(lines.join('\n'));
  }
}

process.on('SIGINT', () => void shutdown(0, 'Stopping the cluster...'));
process.on('SIGTERM', () => void shutdown(0, 'Stopping the cluster...'));
main().catch((error) => void shutdown(1, `npm run cluster failed: ${error instanceof Error ? error.message : error}`));
