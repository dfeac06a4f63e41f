// A throw-away PostgreSQL from the system's packages (Debian's `postgresql`): its own data
// folder made by initdb in a temporary folder, on 127.0.0.1 and a free port, password
// authentication, the server's durability defaults (fsync and synchronous_commit on). Used by
// `npm run cluster` and, through test/postgres.ts, by tests. PostgreSQL refuses to run as
// root, so under root it runs as the system user `firebreak-pg` (created when missing).
//
//   node scripts/postgres.mjs           starts one, prints its URL, stops it on Ctrl-C
//   node scripts/postgres.mjs --serve   the same for a test process: JSON on stdout, commands on stdin
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePorts, until } from './net.mjs';
import { spawnGuarded } from './supervisor.mjs';

export const POSTGRES_OS_USER = 'firebreak-pg';
const PACKAGES = '/usr/lib/postgresql';
/** The database role tests and the cluster connect as (a superuser of the throw-away server). */
const ROLE = 'firebreak';
/** Shutdown modes (PostgreSQL's names) and the signal the postmaster takes for each. */
const SHUTDOWN_SIGNALS = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' };

/** The bin folder of the newest PostgreSQL installed under /usr/lib/postgresql. */
export function postgresBinDir() {
  const versions = existsSync(PACKAGES)
    ? readdirSync(PACKAGES)
        .filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(join(PACKAGES, name, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no PostgreSQL server under ${PACKAGES}: install Debian's postgresql package (bash scripts/install-test-tools.sh)`);
  }
  return join(PACKAGES, versions[0], 'bin');
}

/** Under root, the uid/gid of {@link POSTGRES_OS_USER}, created as a system user when missing. */
function serverUser() {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => {
    const uid = spawnSync('id', ['-u', POSTGRES_OS_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', POSTGRES_OS_USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : undefined;
  };
  const found = lookup();
  if (found) return found;
  const shell = existsSync('/usr/sbin/nologin') ? '/usr/sbin/nologin' : '/bin/false';
  const added = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', shell, POSTGRES_OS_USER], {
    encoding: 'utf8',
  });
  // Another process may have created it meanwhile: look again before failing.
  const created = lookup();
  if (!created) throw new Error(`could not create the system user ${POSTGRES_OS_USER} to run PostgreSQL: ${added.stderr || added.error?.message}`);
  return created;
}

/**
 * Makes a new PostgreSQL data folder in `dir` (a new temporary folder when absent) and picks a
 * free port; starts nothing. Answers the connection details, the server's command line (`uid`
 * and `gid` to run it as, under root), `ready()` and `createDatabase(name)`. `owned`: `dir` was
 * made here (the caller removes it when done).
 */
export async function initPostgres({ dir, maxConnections = 200 } = {}) {
  const bin = postgresBinDir();
  const root = dir ? resolve(dir) : mkdtempSync(join(tmpdir(), 'firebreak-pg-'));
  const user = serverUser();
  // The server's user reaches its own folder through this one, and nothing else in it.
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o711);
  const home = join(root, 'pg');
  const dataDir = join(home, 'data');
  const socketDir = join(home, 'socket');
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) for (const path of [home, socketDir]) chownSync(path, user.uid, user.gid);
  chmodSync(home, 0o700);

  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(root, 'postgres-password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const initPasswordFile = join(home, 'initdb-password');
  writeFileSync(initPasswordFile, `${password}\n`, { mode: 0o600 });
  if (user.uid !== undefined) chownSync(initPasswordFile, user.uid, user.gid);
  const initdb = spawnSync(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', ROLE, `--pwfile=${initPasswordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-instructions'],
    { cwd: home, encoding: 'utf8', uid: user.uid, gid: user.gid },
  );
  rmSync(initPasswordFile, { force: true });
  if (initdb.status !== 0) {
    if (!dir) rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${initdb.stderr || initdb.error?.message}`);
  }

  const [port] = await freePorts(1);
  const host = '127.0.0.1';
  const clientEnv = { ...process.env, PGPASSWORD: password, PGHOST: host, PGPORT: String(port), PGUSER: ROLE, PGCONNECT_TIMEOUT: '5' };
  const urlFor = (name) => `postgres://${ROLE}:${password}@${host}:${port}/${encodeURIComponent(name)}`;
  return {
    host,
    port,
    user: ROLE,
    password,
    passwordFile,
    urlFor,
    dir: root,
    owned: !dir,
    dataDir,
    socketDir,
    logFile: join(root, 'postgres.log'),
    binDir: bin,
    command: join(bin, 'postgres'),
    args: ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', `listen_addresses=${host}`, '-c', `max_connections=${maxConnections}`],
    cwd: home,
    uid: user.uid,
    gid: user.gid,
    /** True once the server accepts connections. */
    ready: () => spawnSync(join(bin, 'pg_isready'), ['-q', '-d', 'postgres'], { env: clientEnv }).status === 0,
    createDatabase(name) {
      const result = spawnSync(join(bin, 'createdb'), [name], { env: clientEnv, encoding: 'utf8' });
      if (result.status !== 0 && !/already exists/.test(result.stderr)) throw new Error(`createdb ${name} failed: ${result.stderr}`);
    },
  };
}

/**
 * Starts a PostgreSQL server in `dir` (a new temporary folder when absent) with one database,
 * `database`. Answers its address, a URL per database, `stop()` (removes the folder unless
 * `dir` was given) and `restart({ mode })` that stops it (`smart`, `fast`, or `immediate`,
 * which is a crash as far as the data is concerned) and starts it again on the same port.
 */
export async function startPostgres({ dir, database = ROLE, log = () => {}, maxConnections } = {}) {
  const pg = await initPostgres({ dir, maxConnections });
  let server;

  const launch = async () => {
    const out = openSync(pg.logFile, 'a');
    server = spawnGuarded(pg.command, pg.args, { cwd: pg.cwd, uid: pg.uid, gid: pg.gid, stdio: ['ignore', out, out] });
    closeSync(out);
    let exited;
    server.once('exit', (code, signal) => (exited = signal ?? `code ${code}`));
    await until(
      `PostgreSQL on ${pg.host}:${pg.port}`,
      () => {
        if (exited) throw new Error(`PostgreSQL exited (${exited}) while starting; its log: ${pg.logFile}\n${tail(pg.logFile)}`);
        return pg.ready();
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    log(`PostgreSQL ready on ${pg.host}:${pg.port} (pid ${server.pid})`);
  };

  const halt = async (mode) => {
    const current = server;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((done) => current.once('exit', done));
    const kill = setTimeout(() => current.kill('SIGKILL'), 30_000);
    current.kill(SHUTDOWN_SIGNALS[mode]);
    await exited;
    clearTimeout(kill);
  };
  const checkMode = (mode) => {
    if (!SHUTDOWN_SIGNALS[mode]) throw new Error(`unknown shutdown mode ${mode}: one of ${Object.keys(SHUTDOWN_SIGNALS).join(', ')}`);
  };

  try {
    await launch();
    pg.createDatabase(database);
  } catch (error) {
    await halt('immediate');
    if (pg.owned) rmSync(pg.dir, { recursive: true, force: true });
    throw error;
  }

  return {
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    passwordFile: pg.passwordFile,
    database,
    url: pg.urlFor(database),
    urlFor: pg.urlFor,
    dir: pg.dir,
    dataDir: pg.dataDir,
    logFile: pg.logFile,
    /** The postmaster's pid (its backends exit when it does). */
    pid: () => server?.pid,
    async stop({ mode = 'fast' } = {}) {
      checkMode(mode);
      await halt(mode);
      if (pg.owned) rmSync(pg.dir, { recursive: true, force: true });
    },
    async restart({ mode = 'fast' } = {}) {
      checkMode(mode);
      await halt(mode);
      await launch();
    },
    /** Stops the server, keeping its data and port, until `resume()`: an outage. */
    async pause({ mode = 'fast' } = {}) {
      checkMode(mode);
      await halt(mode);
    },
    /** Starts a paused server again on the same data and port (nothing when it runs). */
    async resume() {
      if (server && server.exitCode === null && server.signalCode === null) return;
      await launch();
    },
  };
}

function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * `--serve`: for test/postgres.ts. Prints one JSON line describing the server, then takes
 * commands on stdin, one a line: `restart <mode>` (answers `{"restarted":true}` once it is
 * back), `pause <mode>` (`{"paused":true}` once it is down), `resume` (`{"resumed":true}`
 * once it serves again) and `stop`; stdin closing (the test process gone) stops it too.
 */
async function serve() {
  const postgres = await startPostgres();
  const { pid, stop, restart, pause, resume } = postgres;
  const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const { host, port, user, database, url, dir, dataDir, logFile, passwordFile } = postgres;
  say({ host, port, user, database, url, dir, dataDir, logFile, passwordFile, pid: pid() });
  let queue = Promise.resolve();
  const finish = () => (queue = queue.then(() => stop()).then(() => process.exit(0)));
  createInterface({ input: process.stdin })
    .on('line', (line) => {
      const [command, mode] = line.trim().split(/\s+/);
      if (command === 'stop') return void finish();
      const commands = {
        restart: () => restart({ mode }).then(() => say({ restarted: true, pid: pid() })),
        pause: () => pause({ mode }).then(() => say({ paused: true })),
        resume: () => resume().then(() => say({ resumed: true, pid: pid() })),
      };
      if (!Object.hasOwn(commands, command)) return say({ error: `unknown command ${command}` });
      queue = queue.then(commands[command]).catch((error) => say({ error: error.message }));
    })
    .on('close', finish);
  process.on('SIGINT', finish);
  process.on('SIGTERM', finish);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--serve')) {
    await serve();
  } else {
    const postgres = await startPostgres({ log: (line) => console.error(line) });
    console.log(`postgres://${postgres.user}@${postgres.host}:${postgres.port}/${postgres.database}  (password in ${postgres.passwordFile})`);
    const stop = () => void postgres.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}
