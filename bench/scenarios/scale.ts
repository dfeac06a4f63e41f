/**
 * Scenario 3, many open incidents: `incidents` incidents opened through the API, each
 * paged at level 1 and waiting on its escalation timer. Measured on a fresh worker process:
 * its resident memory before and after, memory per cached workflow, and the read paths
 * under that load (`GET /v1/incidents`, a single incident's `GET`).
 */
import { now } from '../lib/clock';
import type { ProcessStats } from '../lib/ipc';
import { pool } from '../lib/pool';
import { round, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';
import { type AlertAnswer, benchIncidentId, firingAlert } from './alerts';

export interface ScaleResult {
  incidents: number;
  open_seconds: number;
  worker_rss_mb: number;
  worker_rss_before_mb: number;
  /** The worker's main-thread heap; workflow state lives in the workflow thread, counted in RSS only. */
  worker_main_heap_used_mb: number;
  cached_workflows: number;
  max_cached_workflows?: number;
  /** (RSS after − RSS before) / workflows cached: what one open incident costs the worker. */
  rss_per_cached_workflow_kb: number;
  api_rss_mb: number;
  temporal_server_rss_mb?: number;
  list: Summary & { requests: number; failed: number; page_size: number };
  get: Summary & { requests: number; failed: number };
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

export async function scaleScenario(
  system: System,
  { incidents, reads }: { incidents: number; reads: number },
): Promise<ScaleResult> {
  const run = Date.now().toString(36);
  await system.startWorker();
  const before: ProcessStats = await system.workerStats();
  const ids: string[] = [];
  const start = now();
  await pool(incidents, 16, async (index) => {
    const key = `scale-${run}-${index}`;
    const answer = await system.http.post<AlertAnswer>('/v1/alerts', firingAlert(key, `Bench open incident ${index}`));
    // Recorded, or queued while both delivery slots were taken: either way the incident opens.
    if (answer.status !== 202) throw new Error(`POST /v1/alerts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    ids.push(benchIncidentId(key));
  });
  // Open = paged at level 1; each now waits on its escalation timer.
  await Promise.all(ids.map((id) => system.marks.wait(`page:${id}`, 300_000)));
  const openSeconds = (now() - start) / 1000;
  await new Promise((done) => setTimeout(done, 1000));
  const after = await system.workerStats();
  const { maxCachedWorkflows } = await system.worker.call<{ maxCachedWorkflows?: number }>('options');
  const cached = (after.cachedWorkflows?.firebreak ?? 0) - (before.cachedWorkflows?.firebreak ?? 0);

  // Reads one at a time; an answer other than 200 is counted, not timed.
  const timed = async (paths: (index: number) => string) => {
    const samples: number[] = [];
    let failed = 0;
    for (let index = 0; index < reads; index++) {
      const sent = now();
      const answer = await system.http.get(paths(index));
      if (answer.status === 200) samples.push(now() - sent);
      else failed += 1;
    }
    return { samples, failed };
  };
  const list = await timed(() => '/v1/incidents');
  const get = await timed((index) => `/v1/incidents/${ids[(index * 7919) % ids.length]}`);
  const api = await system.apiStats();
  const serverRss = system.serverRssBytes();
  await system.terminate(ids);
  return {
    incidents,
    open_seconds: round(openSeconds, 2),
    worker_rss_mb: mb(after.rssBytes),
    worker_rss_before_mb: mb(before.rssBytes),
    worker_main_heap_used_mb: mb(after.heapUsedBytes),
    cached_workflows: after.cachedWorkflows?.firebreak ?? 0,
    max_cached_workflows: maxCachedWorkflows,
    rss_per_cached_workflow_kb: round((after.rssBytes - before.rssBytes) / Math.max(1, cached) / 1024, 1),
    api_rss_mb: mb(api.rssBytes),
    temporal_server_rss_mb: serverRss === undefined ? undefined : mb(serverRss),
    list: { ...summarize(list.samples), requests: reads, failed: list.failed, page_size: 50 },
    get: { ...summarize(get.samples), requests: reads, failed: get.failed },
  };
}
