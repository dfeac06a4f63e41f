/**
 * The restart rules of scripts/supervisor.mjs (what `npm start` and `npm run cluster` do when
 * a child dies), over generated failure histories. The module is plain ESM for Node, which
 * jest does not load, so each batch of cases runs in one `node` process.
 */
import { execFileSync } from 'node:child_process';
import * as fc from 'fast-check';
import { ROOT } from './processes';

/** Runs `body` (an ESM module body importing scripts/supervisor.mjs as `s`) and answers its JSON output. */
function inSupervisorModule<T>(body: string, input: unknown): T {
  const source = `import * as s from './scripts/supervisor.mjs';\nconst input = JSON.parse(process.argv[1]);\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', source, JSON.stringify(input)], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as T;
}

interface Policy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxFailures: number;
  windowMs: number;
}
type Decision = { action: 'restart'; delayMs: number; failures: number[] } | { action: 'give-up'; reason: string; failures: number[] };

/** Feeds each history's failure times, in order, through nextRestart as the supervisor does (up to giving up). */
const REPLAY = `
const answers = input.map(({ policy, times }) => {
  let failures = [];
  const decisions = [];
  for (const now of times) {
    const decision = s.nextRestart(failures, now, policy);
    decisions.push(decision);
    if (decision.action === 'give-up') break;
    failures = decision.failures;
  }
  return decisions;
});
console.log(JSON.stringify(answers));`;

describe('scripts/supervisor.mjs restart rules', () => {
  const DEFAULT: Policy = { initialDelayMs: 1_000, maxDelayMs: 30_000, maxFailures: 5, windowMs: 60_000 };

  it('doubles the delay from 1 s per failure and gives up at the sixth failure within 60 s', () => {
    const [decisions] = inSupervisorModule<Decision[][]>(REPLAY, [{ policy: DEFAULT, times: [0, 1_000, 3_000, 7_000, 15_000, 31_000] }]);
    expect(decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 'give-up']);
    expect(decisions[5]).toMatchObject({ reason: '6 failures within 60s' });
  });

  it('forgets failures older than the window, so a child that ran a while starts over at the first delay', () => {
    const [decisions] = inSupervisorModule<Decision[][]>(REPLAY, [{ policy: DEFAULT, times: [0, 1_000, 3_000, 7_000, 15_000, 200_000] }]);
    expect(decisions[5]).toMatchObject({ action: 'restart', delayMs: 1_000, failures: [200_000] });
  });

  it('holds for any policy and failure history', () => {
    const policy: fc.Arbitrary<Policy> = fc.integer({ min: 1, max: 5_000 }).chain((initialDelayMs) =>
      fc.record({
        initialDelayMs: fc.constant(initialDelayMs),
        maxDelayMs: fc.integer({ min: initialDelayMs, max: 60_000 }),
        maxFailures: fc.integer({ min: 1, max: 8 }),
        windowMs: fc.integer({ min: 1, max: 120_000 }),
      }),
    );
    const history = fc.record({
      policy,
      times: fc.array(fc.integer({ min: 0, max: 90_000 }), { maxLength: 30 }).map((gaps) => gaps.reduce<number[]>((at, gap) => [...at, (at.at(-1) ?? 0) + gap], [])),
    });
    const cases = fc.sample(history, { numRuns: 300, seed: 20261207 });
    const answers = inSupervisorModule<Decision[][]>(REPLAY, cases);
    cases.forEach(({ policy: p, times }, c) => {
      let kept: number[] = [];
      answers[c].forEach((decision, i) => {
        const now = times[i];
        const recent = [...kept.filter((at) => now - at < p.windowMs), now];
        expect(decision.failures).toEqual(recent);
        expect(decision.failures.length).toBeLessThanOrEqual(p.maxFailures + 1);
        if (recent.length > p.maxFailures) {
          expect(decision.action).toBe('give-up');
          expect(i).toBe(answers[c].length - 1);
        } else {
          expect(decision).toMatchObject({ action: 'restart', delayMs: Math.min(p.initialDelayMs * 2 ** (recent.length - 1), p.maxDelayMs) });
        }
        kept = decision.failures;
      });
      if (answers[c].at(-1)?.action !== 'give-up') expect(answers[c]).toHaveLength(times.length);
    });
  });

  it('names how a child ended and takes the first delay from FIREBREAK_RESTART_BACKOFF_MS', () => {
    const answer = inSupervisorModule<{ reasons: string[]; policies: unknown[]; errors: string[] }>(
      `
const reasons = [s.exitReason(1, null), s.exitReason(null, 'SIGKILL'), s.exitReason(0, null)];
const policies = [s.restartPolicyFrom({}), s.restartPolicyFrom({ FIREBREAK_RESTART_BACKOFF_MS: '50' })];
const errors = input.map((value) => { try { s.restartPolicyFrom({ FIREBREAK_RESTART_BACKOFF_MS: value }); return 'accepted'; } catch (e) { return e.message; } });
console.log(JSON.stringify({ reasons, policies, errors }));`,
      ['0', '-5', '1.5', 'soon', '30001'],
    );
    expect(answer.reasons).toEqual(['code 1', 'signal SIGKILL', 'code 0']);
    expect(answer.policies).toEqual([DEFAULT, { ...DEFAULT, initialDelayMs: 50 }]);
    for (const error of answer.errors) expect(error).toMatch(/^FIREBREAK_RESTART_BACKOFF_MS must be a whole number of milliseconds from 1 to 30000$/);
  });

  it('restarts a crashing child while a steady one keeps running, gives up, and stops the rest', () => {
    const answer = inSupervisorModule<{ events: string[]; gaveUp: string; steadyStarts: number; steadyAliveAtGiveUp: boolean; steadyAliveAfterStop: boolean }>(
      `
const events = [];
let steadyStarts = 0;
const result = await new Promise((done) => {
  const supervisor = new s.Supervisor({
    policy: { initialDelayMs: 10, maxDelayMs: 40, maxFailures: 3, windowMs: 60_000 },
    log: (line) => events.push(line),
    onGiveUp: async (reason) => {
      const pid = steady.child.pid;
      const aliveAtGiveUp = steady.child.exitCode === null;
      await supervisor.stopAll({ graceMs: 5_000 });
      let aliveAfterStop = true;
      try { process.kill(pid, 0); } catch { aliveAfterStop = false; }
      done({ gaveUp: reason, steadyAliveAtGiveUp: aliveAtGiveUp, steadyAliveAfterStop: aliveAfterStop });
    },
  });
  const steady = supervisor.start('steady', process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { onStart: () => steadyStarts++, logFile: '/dev/null' });
  supervisor.start('crashing', process.execPath, ['-e', 'process.exit(3)'], { logFile: '/dev/null' });
});
console.log(JSON.stringify({ events, steadyStarts, ...result }));`,
      null,
    );
    const crashing = answer.events.filter((line) => line.includes('crashing exited'));
    expect(crashing).toHaveLength(4);
    for (const line of crashing) expect(line).toMatch(/^\[supervisor\] crashing exited \(code 3\)/);
    expect(crashing.slice(0, 3).map((line) => /restarting in (\w+)/.exec(line)?.[1])).toEqual(['10ms', '20ms', '40ms']);
    expect(crashing[3]).toContain('4 failures within 60s; giving up');
    expect(answer.gaveUp).toBe('crashing keeps failing (4 failures within 60s, last: code 3)');
    expect(answer.steadyStarts).toBe(1);
    expect(answer.steadyAliveAtGiveUp).toBe(true);
    expect(answer.steadyAliveAfterStop).toBe(false);
  });
});
