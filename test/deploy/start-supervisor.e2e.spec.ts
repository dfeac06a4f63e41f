/**
 * `npm start` (scripts/start.mjs) supervising real children: the Temporal dev server, the
 * worker and the API. A worker killed with SIGKILL is restarted while the rest keep serving,
 * and alerts still open incidents; a worker that cannot start stops everything with a
 * non-zero exit naming it. Runs the built code (`--dist`), on free ports and a temporary
 * DATA_DIR.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../wait';
import { alive, builtCode, processesMentioning, type ScriptProcess, startNpmStart, startedPid } from './processes';

describe('npm start supervises its children', () => {
  let dist: string;
  const dataDirs: string[] = [];
  let start: ScriptProcess | undefined;

  beforeAll(() => {
    dist = builtCode('start');
  }, 300_000);

  afterEach(async () => {
    await start?.stop();
    start = undefined;
  }, 60_000);

  afterAll(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function startFirebreak(extra: NodeJS.ProcessEnv = {}) {
    const started = await startNpmStart(dist, extra);
    dataDirs.push(started.dataDir);
    start = started.start;
    return started;
  }

  it('restarts a worker killed with SIGKILL while the API keeps serving, and alerts still open incidents', async () => {
    const { dataDir, api, start: running } = await startFirebreak();
    await running.line((line) => (line === 'Firebreak is running.' ? true : undefined), { stream: 'stdout', timeoutMs: 180_000 });
    const temporalPid = await running.line(startedPid('temporal'), { since: true, timeoutMs: 1_000 });
    const apiPid = await running.line(startedPid('api'), { since: true, timeoutMs: 1_000 });
    const workerPid = await running.line(startedPid('worker'), { since: true, timeoutMs: 1_000 });
    const key = readFileSync(join(dataDir, 'api-key'), 'utf8').trim();

    const restarted = running.line(startedPid('worker'), { timeoutMs: 60_000 });
    const exited = running.line((line) => (line.startsWith('[supervisor] worker exited (signal SIGKILL); restarting in 1s') ? line : undefined), { timeoutMs: 60_000 });
    process.kill(workerPid, 'SIGKILL');
    expect(await exited).toContain('failure 1 of at most 5 within 60s');
    const newWorkerPid = await restarted;
    expect(newWorkerPid).not.toBe(workerPid);
    expect(alive(apiPid)).toBe(true);
    expect(alive(temporalPid)).toBe(true);

    const sent = await waitFor(
      'an alert accepted after the restart',
      async () => {
        const answer = await fetch(`${api}/v1/alerts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ source: 'supervisor-test', summary: 'Worker restarted', status: 'firing', labels: { service: 'checkout' } }),
        });
        return answer.status === 202 ? ((await answer.json()) as { incidentId: string }) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const incident = await waitFor('the incident', async () => {
      const answer = await fetch(`${api}/v1/incidents/${sent.incidentId}`, { headers: { authorization: `Bearer ${key}` } });
      return answer.ok ? ((await answer.json()) as { status: string; title: string }) : undefined;
    });
    expect(incident).toMatchObject({ status: 'triggered', title: 'Worker restarted' });

    expect(await running.stop()).toEqual({ code: 0, signal: null });
    for (const pid of [temporalPid, apiPid, newWorkerPid]) expect(alive(pid)).toBe(false);
    // The dev server names its database file in DATA_DIR.
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 300_000);

  it('stops everything with a non-zero exit when the worker keeps failing', async () => {
    // A Jira ticketing provider without its settings: the worker refuses to start, every time.
    const { dataDir, start: running } = await startFirebreak({ TICKETING_PROVIDER: 'jira', FIREBREAK_RESTART_BACKOFF_MS: '50' });
    const temporalPid = await running.line(startedPid('temporal'), { timeoutMs: 120_000 });
    const exit = await running.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const output = running.output();
    expect(output).toMatch(/\[supervisor\] worker exited \(code 1\); restarting in 50ms \(failure 1 of at most 5 within 60s\)/);
    expect(output).toContain('worker keeps failing (6 failures within 60s, last: code 1); stopping everything');
    expect(output).not.toContain('Firebreak is running.');
    expect(alive(temporalPid)).toBe(false);
    expect(processesMentioning(dataDir)).toEqual([]);
  }, 300_000);
});
