/**
 * `npm run cluster` (scripts/cluster.mjs) as an operator runs it: PostgreSQL, the Temporal
 * server built from source on it, two workers and two APIs. An alert sent to one API is seen
 * through the other; with one worker killed the other carries the incident on; stopping the
 * cluster leaves no process and no folder behind. Slow (a whole cluster), and it needs the
 * Temporal server built beforehand (`node scripts/temporal-server.mjs path`, which
 * `npm test` runs); FIREBREAK_SKIP_CLUSTER=1 skips it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../wait';
import { alive, builtCode, processesMentioning, ROOT, ScriptProcess } from './processes';

interface ClusterDescription {
  dir: string;
  adminKeyFile: string;
  postgres: { pid: number; url: string };
  temporal: { pid: number; address: string };
  workers: { name: string; pid: number; metrics: string }[];
  apis: { name: string; url: string; pid: number }[];
}

const SKIP = process.env.FIREBREAK_SKIP_CLUSTER === '1';
const describeCluster = SKIP ? describe.skip : describe;
const title = SKIP ? 'npm run cluster (skipped: FIREBREAK_SKIP_CLUSTER=1)' : 'npm run cluster';

describeCluster(title, () => {
  let cluster: ScriptProcess | undefined;
  let running: ClusterDescription;
  let key: string;

  beforeAll(async () => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'temporal-server.mjs'), 'path', '--no-build'], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)} (or set FIREBREAK_SKIP_CLUSTER=1)`);
    }
    const dist = builtCode('cluster');
    // No restarts: a killed worker stays dead, so the other one must carry on.
    cluster = new ScriptProcess('cluster.mjs', ['--json', '--no-restart', '--dist', dist], process.env);
    running = await cluster.line((line) => (line.startsWith('{') ? (JSON.parse(line) as ClusterDescription) : undefined), {
      stream: 'stdout',
      timeoutMs: 300_000,
    });
    key = readFileSync(running.adminKeyFile, 'utf8').trim();
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  const call = (api: number, path: string, body?: unknown) =>
    fetch(`${running.apis[api].url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('starts PostgreSQL, the Temporal server, two workers and two APIs', () => {
    expect(running.workers.map(({ name }) => name)).toEqual(['worker-1', 'worker-2']);
    expect(running.apis.map(({ name }) => name)).toEqual(['api-1', 'api-2']);
    for (const { pid } of [running.postgres, running.temporal, ...running.workers, ...running.apis]) expect(alive(pid)).toBe(true);
    expect(new Set(running.apis.map(({ url }) => url)).size).toBe(2);
  });

  it('serves each worker\'s response-time metrics on a port of its own', async () => {
    expect(new Set(running.workers.map(({ metrics }) => metrics)).size).toBe(2);
    for (const { metrics } of running.workers) {
      const answer = await fetch(metrics);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toMatch(/^# HELP firebreak_incident_time_to_acknowledge_seconds /m);
    }
  });

  it('opens an incident from an alert sent to API 1 that API 2 shows, and carries it on with worker 1 killed', async () => {
    const sent = await call(0, '/v1/alerts', {
      source: 'cluster-test',
      summary: 'Checkout latency high',
      status: 'firing',
      labels: { service: 'checkout', run: String(process.pid) },
    });
    expect(sent.status).toBe(202);
    const { incidentId } = (await sent.json()) as { incidentId: string };

    const seen = await waitFor('the incident through API 2', async () => {
      const answer = await call(1, `/v1/incidents/${incidentId}`);
      return answer.ok ? ((await answer.json()) as { status: string }) : undefined;
    });
    expect(seen.status).toBe('triggered');

    const [first] = running.workers;
    process.kill(first.pid, 'SIGKILL');
    await waitFor('worker 1 to be gone', () => !alive(first.pid));

    // The first tries may wait on worker 1's sticky queue until Temporal gives up on it: retry
    // until API 2 answers; 409 means an earlier try was applied.
    await waitFor(
      'the acknowledgement through API 2',
      async () => {
        const answer = await call(1, `/v1/incidents/${incidentId}/actions`, { action: 'acknowledge', note: 'seen on the cluster' });
        return answer.ok || answer.status === 409;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const acknowledged = await waitFor('the incident acknowledged', async () => {
      const answer = await call(1, `/v1/incidents/${incidentId}`);
      const incident = answer.ok ? ((await answer.json()) as { status: string }) : undefined;
      return incident?.status === 'acknowledged' ? incident : undefined;
    });
    expect(acknowledged.status).toBe('acknowledged');
    const timeline = JSON.stringify(await (await call(0, `/v1/incidents/${incidentId}/timeline`)).json());
    expect(timeline).toContain('seen on the cluster');
    expect(alive(running.workers[1].pid)).toBe(true);
  });

  it('stops every process and removes its folder on SIGTERM', async () => {
    const exit = await cluster!.stop();
    cluster = undefined;
    expect(exit).toEqual({ code: 0, signal: null });
    for (const { pid } of [running.postgres, running.temporal, ...running.workers, ...running.apis]) expect(alive(pid)).toBe(false);
    // PostgreSQL's backends name the data folder; the Temporal server its config file.
    expect(processesMentioning(running.dir)).toEqual([]);
    expect(existsSync(running.dir)).toBe(false);
  }, 120_000);
});
