// The Temporal server itself (not the CLI's dev server) on PostgreSQL, for `npm run cluster`:
// built once with Go at a pinned release into the git-ignored tools/, its schema installed
// with the release's own SQL tool, configured from the release's development-postgres12.yaml.
//
//   node scripts/temporal-server.mjs path              builds it when missing, prints its folder
//   node scripts/temporal-server.mjs path --no-build   prints its folder, or exits 3 when not built
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { until } from './net.mjs';
import { ROOT, TASK_PRIORITY_CONFIG } from './temporal.mjs';

const require = createRequire(import.meta.url);

/** The release `npm run cluster` runs; docker-compose.yml pins the same one. */
export const TEMPORAL_SERVER = {
  module: 'go.temporal.io/server',
  version: 'v1.30.1',
  packages: { 'temporal-server': 'cmd/server', 'temporal-sql-tool': 'cmd/tools/sql' },
};
/** Everything the cluster needs from the release: binaries, schema, the config it starts from. */
export const SERVER_HOME = join(ROOT, 'tools', 'temporal-server', TEMPORAL_SERVER.version);
const SCHEMA = join('schema', 'postgresql', 'v12');
const CONFIG_TEMPLATE = join('config', 'development-postgres12.yaml');
const COMPLETE = join(SERVER_HOME, '.complete');

/** The release's files, or undefined when they have not been built yet. */
export function findTemporalServer() {
  if (!existsSync(COMPLETE)) return undefined;
  return {
    home: SERVER_HOME,
    server: join(SERVER_HOME, 'bin', 'temporal-server'),
    sqlTool: join(SERVER_HOME, 'bin', 'temporal-sql-tool'),
    schema: join(SERVER_HOME, SCHEMA),
    configTemplate: join(SERVER_HOME, CONFIG_TEMPLATE),
  };
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** Files copied out of Go's read-only module cache stay removable. */
function makeWritable(path) {
  const stat = statSync(path);
  chmodSync(path, stat.mode | 0o200);
  if (stat.isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
}

/**
 * Answers the release's files, building them first when missing (a few minutes the first
 * time: docs/cluster.md has the figures). Needs Go; builds into a private folder and renames
 * it, so a concurrent or interrupted build never leaves a half-built release behind.
 */
export function ensureTemporalServer(log = (line) => console.error(line)) {
  const found = findTemporalServer();
  if (found) return found;
  const go = onPath('go');
  if (!go) throw new Error(`The Temporal server ${TEMPORAL_SERVER.version} is built with Go, and there is no \`go\` on PATH: install Go 1.25+.`);
  const { module, version, packages } = TEMPORAL_SERVER;
  log(`Building the Temporal server ${version} with Go into ${SERVER_HOME} (once; a few minutes)...`);
  const started = Date.now();
  const staging = join(ROOT, 'tools', 'temporal-server', `.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'bin'), { recursive: true });
  const env = { ...process.env, GOBIN: join(staging, 'gobin'), GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
  try {
    execFileSync(go, ['install', ...Object.values(packages).map((pkg) => `${module}/${pkg}@${version}`)], {
      cwd: staging,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    for (const [name, pkg] of Object.entries(packages)) renameSync(join(staging, 'gobin', pkg.split('/').pop()), join(staging, 'bin', name));
    // The schema and the config template are files of the module's source, not of the binaries.
    const source = JSON.parse(execFileSync(go, ['mod', 'download', '-json', `${module}@${version}`], { cwd: staging, env, encoding: 'utf8' })).Dir;
    if (!source) throw new Error(`go mod download named no source folder for ${module}@${version}`);
    for (const path of [SCHEMA, CONFIG_TEMPLATE]) {
      cpSync(join(source, path), join(staging, path), { recursive: true });
      makeWritable(join(staging, path));
    }
    rmSync(join(staging, 'gobin'), { recursive: true, force: true });
    writeFileSync(join(staging, '.complete'), `${module}@${version}\n`);
    rmSync(SERVER_HOME, { recursive: true, force: true });
    renameSync(staging, SERVER_HOME);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  log(`Temporal server ${version} ready in ${SERVER_HOME} (${Math.round((Date.now() - started) / 1000)} s)`);
  return findTemporalServer();
}

/**
 * Creates the `temporal` and `temporal_visibility` databases on `postgres` (see
 * scripts/postgres.mjs) and applies every schema version of the release. Idempotent.
 */
export function setupTemporalDatabases(release, postgres) {
  const env = { ...process.env, SQL_PASSWORD: postgres.password };
  const common = ['--plugin', 'postgres12', '--endpoint', postgres.host, '--port', String(postgres.port), '--user', postgres.user];
  const tool = (database, args) => {
    const result = spawnSync(release.sqlTool, [...common, '--db', database, ...args], { env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed:\n${result.stdout}${result.stderr}`);
  };
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ]) {
    tool(database, ['create-database']);
    tool(database, ['setup-schema', '-v', '0.0']);
    tool(database, ['update-schema', '-d', join(release.schema, schema, 'versioned')]);
  }
}

/** How many ports {@link writeServerConfig} needs. */
export const SERVER_PORTS = 10;

/**
 * Writes the server's config into `dir`: the release's development-postgres12.yaml with the
 * database address and credentials of `postgres`, every port taken from `ports` (see
 * {@link SERVER_PORTS}), pprof off, archival off, and an empty dynamic config (defaults).
 * Answers the config file and the addresses it serves on.
 */
export function writeServerConfig({ release, postgres, dir, ports, logLevel = 'warn' }) {
  const { parse, stringify } = require('yaml');
  const config = parse(readFileSync(release.configTemplate, 'utf8'));
  const [frontend, frontendMembership, frontendHttp, history, historyMembership, matching, matchingMembership, worker, workerMembership, metrics] = ports;
  config.log = { stdout: true, level: logLevel };
  for (const store of Object.values(config.persistence.datastores)) {
    Object.assign(store.sql, { connectAddr: `${postgres.host}:${postgres.port}`, user: postgres.user, password: postgres.password });
  }
  config.global.pprof = { port: 0 };
  config.global.metrics.prometheus.listenAddress = `127.0.0.1:${metrics}`;
  const service = (grpcPort, membershipPort, extra = {}) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra } });
  config.services = {
    frontend: service(frontend, frontendMembership, { httpPort: frontendHttp }),
    history: service(history, historyMembership),
    matching: service(matching, matchingMembership),
    worker: service(worker, workerMembership),
  };
  config.clusterMetadata.clusterInformation[config.clusterMetadata.currentClusterName].rpcAddress = `127.0.0.1:${frontend}`;
  config.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
  delete config.namespaceDefaults;
  const dynamicConfig = join(dir, 'temporal-dynamic-config.yaml');
  // The defaults, and the matcher that honours task priority (scripts/temporal.mjs).
  const settings = Object.entries(TASK_PRIORITY_CONFIG).map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n`);
  writeFileSync(dynamicConfig, `# Temporal dynamic config: defaults but for these\n${settings.join('')}`);
  config.dynamicConfigClient = { filepath: dynamicConfig, pollInterval: '10s' };
  const file = join(dir, 'temporal-server.yaml');
  // It holds the database password: readable by this user only.
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return { file, address: `127.0.0.1:${frontend}`, httpAddress: `127.0.0.1:${frontendHttp}`, metricsAddress: `127.0.0.1:${metrics}` };
}

/** Arguments that start the server on a config from {@link writeServerConfig}. */
export function serverArgs(configFile) {
  return ['--config-file', configFile, '--allow-no-auth', 'start'];
}

/** The Temporal CLI's name for a search attribute type (core/model/search-attributes.ts uses the SDK's). */
const CLI_TYPES = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' };

/**
 * Waits for the server at `address`, creates `namespace` when missing and registers
 * `searchAttributes` ({ name, type } with the SDK's type names), then waits until a query
 * on all of them succeeds, so nothing starts before they are usable.
 */
export async function prepareNamespace({ temporalCli, address, namespace = 'default', retention = '720h', searchAttributes, aborted }) {
  const cli = (args) => spawnSync(temporalCli, [...args, '--address', address], { encoding: 'utf8' });
  const wait = (what, check) => until(what, check, { timeoutMs: 120_000, intervalMs: 500, aborted });
  await wait(`the Temporal server at ${address}`, () => cli(['operator', 'cluster', 'health']).status === 0);
  await wait(`namespace ${namespace}`, () => {
    if (cli(['operator', 'namespace', 'describe', '--namespace', namespace]).status === 0) return true;
    cli(['operator', 'namespace', 'create', '--namespace', namespace, '--retention', retention]);
    return false;
  });
  // One call per attribute: given several names, this CLI and server pair registers only the first.
  for (const { name, type } of searchAttributes) {
    const args = ['operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name, '--type', CLI_TYPES[type] ?? type];
    // A new namespace takes a moment to reach every service: retry until it has.
    await wait(`search attribute ${name}`, () => cli(args).status === 0);
  }
  const query = searchAttributes
    .filter(({ type }) => type === 'KEYWORD')
    .map(({ name }) => `${name} = 'probe'`)
    .join(' AND ');
  if (query) await wait('the search attributes to be queryable', () => cli(['workflow', 'count', '--namespace', namespace, '--query', query]).status === 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, flag] = process.argv.slice(2);
  if (command !== 'path' || (flag !== undefined && flag !== '--no-build')) {
    console.error('usage: node scripts/temporal-server.mjs path [--no-build]');
    process.exit(2);
  }
  if (flag === '--no-build' && !findTemporalServer()) {
    console.error(`The Temporal server ${TEMPORAL_SERVER.version} is not built yet: run node scripts/temporal-server.mjs path (npm test does).`);
    process.exit(3);
  }
  try {
    console.log(ensureTemporalServer().home);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
