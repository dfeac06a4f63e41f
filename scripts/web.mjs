// The console's build (apps/web → apps/web/dist with Vite), made when it is missing or older
// than its sources. `npm start`, `npm test`, the browser tests and the bench call it; any of
// them may run at once (jest runs test files in parallel workers), so one builds under a lock
// while the others wait, and the build lands by rename: nobody reads a half-written dist.
//
//   node scripts/web.mjs           builds when stale, prints the built folder
//   node scripts/web.mjs --force   builds even when fresh
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './temporal.mjs';

export const WEB_ROOT = join(ROOT, 'apps', 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');
/**
 * In the built folder (a dotfile, never served): the newest source time the build was made
 * from, and the files under assets/ it made (the bench sizes those).
 */
const STAMP = '.build-inputs.json';
/** What the console is built from: its own folder, the shared model and schemas, the lock file (tests aside). */
const INPUTS = [WEB_ROOT, join(ROOT, 'core'), join(ROOT, 'package-lock.json')];
const SKIP = new Set(['dist', 'node_modules']);
const LOCK = join(ROOT, 'dist', 'web-build.lock');
const LOCK_WAIT_MS = 10 * 60_000;

/** The newest modification time (ms) of any file under `paths`, and that file. */
function newestInput(paths = INPUTS) {
  let newest = { mtimeMs: 0, path: '' };
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (!SKIP.has(entry) && !entry.startsWith('.') && !entry.endsWith('.spec.ts')) visit(join(path, entry));
    } else if (stat.mtimeMs > newest.mtimeMs) newest = { mtimeMs: stat.mtimeMs, path };
  };
  for (const path of paths) visit(path);
  return newest;
}

/** Why the console needs building, or undefined when apps/web/dist is up to date. */
export function consoleStaleness() {
  if (!existsSync(join(WEB_ROOT, 'vite.config.ts'))) throw new Error(`no console sources: ${relative(ROOT, WEB_ROOT)}/vite.config.ts is missing`);
  if (!existsSync(join(WEB_DIST, 'index.html'))) return `${relative(ROOT, WEB_DIST)} is missing`;
  let built = 0;
  try {
    built = JSON.parse(readFileSync(join(WEB_DIST, STAMP), 'utf8')).newestInputMs;
  } catch {
    return `${relative(ROOT, WEB_DIST)} has no ${STAMP}`;
  }
  const newest = newestInput();
  return newest.mtimeMs > built ? `${relative(ROOT, newest.path)} changed since the last build` : undefined;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Runs `work` holding the build lock (a directory: mkdir is atomic); a dead holder's lock is taken over. */
async function withLock(work) {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
      } catch {
        // Just made, pid not written yet: wait like for a live holder.
      }
      if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > until) throw new Error(`waited ${LOCK_WAIT_MS / 60_000} min for another console build (${LOCK}); remove the folder if no build runs`);
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The hashed files the current build made itself (its stamp lists them). */
function previousAssets() {
  try {
    const { assets } = JSON.parse(readFileSync(join(WEB_DIST, STAMP), 'utf8'));
    return Array.isArray(assets) ? assets.filter((name) => typeof name === 'string' && existsSync(join(WEB_DIST, 'assets', name))) : [];
  } catch {
    return [];
  }
}

function build(log) {
  // The newest source time is taken before building: a file saved during the build makes the next check stale.
  const newest = newestInput();
  const staging = join(ROOT, 'dist', `web-build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const started = Date.now();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(WEB_ROOT, 'vite.config.ts'), '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.error) throw result.error;
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build of the console failed (exit ${result.status ?? result.signal}; output above)`);
  }
  const assets = existsSync(join(staging, 'assets')) ? readdirSync(join(staging, 'assets')) : [];
  writeFileSync(join(staging, STAMP), `${JSON.stringify({ newestInputMs: newest.mtimeMs, assets })}\n`);
  // The previous build's own hashed files stay beside the new ones, so a page loaded before
  // this build can still load its lazy chunks; older generations go.
  for (const name of previousAssets()) {
    if (!assets.includes(name)) copyFileSync(join(WEB_DIST, 'assets', name), join(staging, 'assets', name));
  }
  const old = join(ROOT, 'dist', `web-old-${process.pid}`);
  if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
  renameSync(staging, WEB_DIST);
  rmSync(old, { recursive: true, force: true });
  log(`Built the console into ${relative(ROOT, WEB_DIST)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Builds the console into apps/web/dist when it is missing or stale (or always, with
 * `force`); answers the built folder.
 */
export async function ensureConsole({ force = false, log = (line) => console.error(line) } = {}) {
  if (!force && !consoleStaleness()) return WEB_DIST;
  await withLock(async () => {
    // Someone else may have built it while this one waited.
    const reason = force ? 'asked to' : consoleStaleness();
    if (!reason) return;
    log(`Building the console (${reason})...`);
    build(log);
  });
  return WEB_DIST;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureConsole({ force: process.argv.includes('--force') }).then(
    (dist) => console.log(dist),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
