// Runs long-lived children for `npm start` and `npm run cluster`: each child's output shown
// behind its name, a child that dies restarted with exponential back-off while the others
// keep serving, and everything stopped (non-zero) when one child keeps failing. Children are
// tied to this process's life (parent-death signal), so even a killed supervisor leaves none.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * When a child that died is started again: after `initialDelayMs`, doubling per failure up to
 * `maxDelayMs`; more than `maxFailures` failures within `windowMs` stop everything.
 */
export const RESTART_POLICY = Object.freeze({ initialDelayMs: 1_000, maxDelayMs: 30_000, maxFailures: 5, windowMs: 60_000 });

/** The policy with `FIREBREAK_RESTART_BACKOFF_MS` (the first delay) applied when set. */
export function restartPolicyFrom(env) {
  const initial = Number(env.FIREBREAK_RESTART_BACKOFF_MS);
  if (env.FIREBREAK_RESTART_BACKOFF_MS === undefined || env.FIREBREAK_RESTART_BACKOFF_MS === '') return RESTART_POLICY;
  if (!Number.isInteger(initial) || initial < 1 || initial > RESTART_POLICY.maxDelayMs) {
    throw new Error(`FIREBREAK_RESTART_BACKOFF_MS must be a whole number of milliseconds from 1 to ${RESTART_POLICY.maxDelayMs}`);
  }
  return { ...RESTART_POLICY, initialDelayMs: initial };
}

/**
 * What to do after a child's failure at `now`, given its earlier failure times: restart after
 * a delay, or give up. Answers the failure times still inside the window (the caller keeps
 * them, so the list never holds more than `maxFailures + 1` entries).
 */
export function nextRestart(earlierFailures, now, policy = RESTART_POLICY) {
  const failures = [...earlierFailures.filter((at) => now - at < policy.windowMs), now];
  if (failures.length > policy.maxFailures) {
    return { action: 'give-up', failures, reason: `${failures.length} failures within ${formatMs(policy.windowMs)}` };
  }
  const delayMs = Math.min(policy.initialDelayMs * 2 ** (failures.length - 1), policy.maxDelayMs);
  return { action: 'restart', failures, delayMs };
}

/** How a child ended, for the log: `code 1`, `signal SIGKILL`. */
export function exitReason(code, signal) {
  return signal ? `signal ${signal}` : `code ${code}`;
}

export function formatMs(ms) {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

let setprivChecked;
/**
 * The command prefix that makes Linux kill a child when the process that started it dies
 * (util-linux `setpriv --pdeathsig`), optionally as another user; empty where there is no
 * setpriv (the child then outlives a supervisor killed with SIGKILL).
 */
export function guardPrefix({ uid, gid } = {}) {
  setprivChecked ??= process.platform === 'linux' && spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig');
  const asUser = uid === undefined ? [] : ['--reuid', String(uid), '--regid', String(gid), '--clear-groups'];
  if (setprivChecked) return ['setpriv', ...asUser, '--pdeathsig', 'KILL'];
  if (asUser.length > 0) throw new Error('running a child as another user needs setpriv (util-linux)');
  return [];
}

/** Spawns `command` tied to this process's life (see {@link guardPrefix}). */
export function spawnGuarded(command, args, { uid, gid, ...options } = {}) {
  const [first, ...rest] = [...guardPrefix({ uid, gid }), command, ...args];
  return spawn(first, rest, options);
}

/**
 * Children started, watched and restarted. `onGiveUp(reason, name)` is called once when a
 * child fails too often (the caller then stops everything and exits non-zero).
 */
export class Supervisor {
  constructor({ policy = RESTART_POLICY, log = (line) => console.error(line), onGiveUp, cwd } = {}) {
    this.policy = policy;
    this.log = log;
    this.onGiveUp = onGiveUp;
    this.cwd = cwd;
    this.children = [];
    this.stopping = false;
  }

  /**
   * Starts a child. `restart: false` leaves it dead when it exits (a chaos run's kill stays a
   * kill); `onLine` sees each output line (readiness checks), `onStart` each new process;
   * `logFile` takes the child's output instead of this process's stdout.
   */
  start(name, command, args, { env = process.env, restart = true, onLine, onStart, logFile, uid, gid, cwd = this.cwd } = {}) {
    const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
    const entry = { name, command, args, env, restart, onLine, onStart, log, uid, gid, cwd, failures: [], child: undefined, timer: undefined, exited: Promise.resolve() };
    this.children.push(entry);
    this.#spawn(entry);
    return entry;
  }

  /** Every child's current pid (undefined while it waits to restart). */
  pids() {
    return Object.fromEntries(this.children.map(({ name, child }) => [name, child?.exitCode === null && child.signalCode === null ? child.pid : undefined]));
  }

  #spawn(entry) {
    const child = spawnGuarded(entry.command, entry.args, { cwd: entry.cwd, env: entry.env, uid: entry.uid, gid: entry.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    entry.child = child;
    entry.exited = new Promise((done) => child.once('exit', done));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (entry.log) entry.log.write(`${line}\n`);
        else console.log(`[${entry.name}] ${line}`);
        entry.onLine?.(line);
      });
    }
    child.once('error', (error) => this.log(`[supervisor] ${entry.name} could not start: ${error.message}`));
    child.once('exit', (code, signal) => this.#exited(entry, child, code, signal));
    if (child.pid !== undefined) {
      this.log(`[supervisor] started ${entry.name} (pid ${child.pid})`);
      entry.onStart?.(child);
    }
  }

  #exited(entry, child, code, signal) {
    if (this.stopping || entry.child !== child) return;
    const reason = exitReason(code, signal);
    if (!entry.restart) {
      this.log(`[supervisor] ${entry.name} exited (${reason}); not restarting it`);
      return;
    }
    const decision = nextRestart(entry.failures, Date.now(), this.policy);
    entry.failures = decision.failures;
    if (decision.action === 'give-up') {
      this.log(`[supervisor] ${entry.name} exited (${reason}): ${decision.reason}; giving up`);
      this.onGiveUp?.(`${entry.name} keeps failing (${decision.reason}, last: ${reason})`, entry.name);
      return;
    }
    this.log(
      `[supervisor] ${entry.name} exited (${reason}); restarting in ${formatMs(decision.delayMs)} ` +
        `(failure ${decision.failures.length} of at most ${this.policy.maxFailures} within ${formatMs(this.policy.windowMs)})`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!this.stopping) this.#spawn(entry);
    }, decision.delayMs);
  }

  /**
   * Stops every child in reverse start order (SIGTERM, SIGKILL after `graceMs`); children
   * waiting to restart are not started again. `signalFor(name)` may pick another signal.
   */
  async stopAll({ graceMs = 15_000, signalFor = () => 'SIGTERM' } = {}) {
    this.stopping = true;
    for (const entry of [...this.children].reverse()) {
      clearTimeout(entry.timer);
      const { child } = entry;
      if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill(signalFor(entry.name));
      await entry.exited;
      clearTimeout(kill);
      this.log(`[supervisor] stopped ${entry.name}`);
    }
    await Promise.all(this.children.map(({ log }) => log && new Promise((closed) => log.end(closed))));
  }
}
