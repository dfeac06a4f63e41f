/**
 * Scenario 5, public-read flood: alert → first action (as in scenario 1) while nobody reads
 * the public surfaces, and while a flood of `GET /status`, `/status.json` and `/readyz`
 * (no credentials, loopback only) runs at a fixed rate, bounded in count and in time, in
 * alternating batches of five alerts. The
 * ratio of the two medians says how much public readers slow the incident path (target
 * ≤ 1.5). Run once with the API's caches on (the defaults) and once with them off
 * (`STATUS_CACHE_MS=0`, `READYZ_CACHE_MS=0`: a Temporal query or probe per request, as
 * before the caches). Rate limits are off in both runs, so the caches alone carry the flood
 * (a flood from many addresses would pass per-IP limits).
 */
import { now, sleep } from '../lib/clock';
import { Http } from '../lib/http';
import { ratio, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';
import { type AlertAnswer, firingAlert } from './alerts';

const PATHS = ['/status', '/status.json', '/readyz'] as const;
const TARGET_RATIO = 1.5;

export interface FloodOptions {
  /** Alerts measured per phase (idle, flood), after `warmup` unmeasured ones. */
  samples: number;
  warmup: number;
  /** Flood requests per second (open loop, at most `concurrency` in flight). */
  rate: number;
  concurrency: number;
  /** The flood stops after this many requests or seconds, whichever comes first. */
  maxRequests: number;
  maxSeconds: number;
}

export interface FloodRun {
  /** The API settings of this run. */
  settings: Record<string, string>;
  idle: Summary;
  flood: Summary;
  ratio_p50: number;
  ratio_p90: number;
  met: boolean;
  /** What the flood sent and got back. */
  requests: number;
  requests_per_s: number;
  statuses: Record<string, number>;
  read_ms: Summary;
  /** Temporal work the flood caused: status page queries and readiness probes, from /metrics. */
  status_page_reads: number;
  readiness_probes: number;
}

export interface PublicReadsResult {
  options: FloodOptions;
  target_ratio: number;
  cached: FloodRun;
  uncached: FloodRun;
}

const sampleOf = (scrape: string, name: string) =>
  scrape
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

async function counters(system: System): Promise<{ reads: number; probes: number }> {
  const scrape = (await system.http.get<string>('/metrics')).body;
  return { reads: sampleOf(scrape, 'firebreak_status_page_reads_total'), probes: sampleOf(scrape, 'firebreak_readiness_probes_total') };
}

/** A bounded flood of public reads, until `stop` resolves or a bound is reached. */
async function flood(port: number, options: FloodOptions, stop: Promise<void>) {
  const http = new Http('127.0.0.1', port, '', options.concurrency);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const started = now();
  const deadline = started + options.maxSeconds * 1000;
  const interval = 1000 / options.rate;
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  let next = 0;
  const lane = async () => {
    while (!stopped && next < options.maxRequests && now() < deadline) {
      const index = next++;
      const due = started + index * interval;
      if (due > now()) await sleep(due - now());
      if (stopped) break;
      const sent = now();
      try {
        const answer = await http.get(PATHS[index % PATHS.length], 10_000);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      }
      latencies.push(now() - sent);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  http.close();
  const seconds = (now() - started) / 1000;
  return { requests: latencies.length, seconds, statuses, latencies };
}

async function alertLatencies(system: System, label: string, count: number, incidents: string[]): Promise<number[]> {
  const run = Date.now().toString(36);
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    const body = firingAlert(`flood-${label}-${run}-${index}`, `Bench flood alert ${index}`);
    const start = now();
    const answer = await system.http.post<AlertAnswer>('/v1/alerts', body);
    if (answer.status !== 202 || !answer.body.incidentId) throw new Error(`POST /v1/alerts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    incidents.push(answer.body.incidentId);
    latencies.push((await system.marks.wait(`page:${answer.body.incidentId}`)) - start);
  }
  return latencies;
}

/** Alerts per batch: idle and flood batches alternate, so drift over the run hits both alike. */
const BATCH = 5;

async function floodRun(system: System, settings: Record<string, string>, options: FloodOptions, log: (line: string) => void): Promise<FloodRun> {
  await system.startApi(settings);
  const incidents: string[] = [];
  try {
    await alertLatencies(system, 'warm', options.warmup, incidents);
    const before = await counters(system);
    const idle: number[] = [];
    const during: number[] = [];
    const reads = { requests: 0, seconds: 0, statuses: {} as Record<string, number>, latencies: [] as number[] };
    for (let done = 0; done < options.samples; done += BATCH) {
      const batch = Math.min(BATCH, options.samples - done);
      idle.push(...(await alertLatencies(system, `idle-${done}`, batch, incidents)));
      let finish!: () => void;
      const stop = new Promise<void>((resolve) => {
        finish = resolve;
      });
      // Each batch's flood gets what is left of the bounds.
      const left = { ...options, maxRequests: options.maxRequests - reads.requests, maxSeconds: Math.max(0, options.maxSeconds - reads.seconds) };
      const flooding = flood(system.api.port!, left, stop);
      // Let the flood reach its rate before measuring.
      await sleep(500);
      during.push(...(await alertLatencies(system, `flood-${done}`, batch, incidents).finally(finish)));
      const batchReads = await flooding;
      reads.requests += batchReads.requests;
      reads.seconds += batchReads.seconds;
      reads.latencies.push(...batchReads.latencies);
      for (const [status, count] of Object.entries(batchReads.statuses)) reads.statuses[status] = (reads.statuses[status] ?? 0) + count;
    }
    const after = await counters(system);
    const i = summarize(idle);
    const f = summarize(during);
    const result: FloodRun = {
      settings,
      idle: i,
      flood: f,
      ratio_p50: ratio(f.p50, i.p50),
      ratio_p90: ratio(f.p90, i.p90),
      met: ratio(f.p50, i.p50) <= TARGET_RATIO,
      requests: reads.requests,
      requests_per_s: Math.round(reads.requests / Math.max(0.001, reads.seconds)),
      statuses: reads.statuses,
      read_ms: summarize(reads.latencies),
      status_page_reads: after.reads - before.reads,
      readiness_probes: after.probes - before.probes,
    };
    log(
      `  ${JSON.stringify(settings)}: alert p50 idle ${i.p50} ms, flood ${f.p50} ms (ratio ${result.ratio_p50}); ` +
        `${result.requests} reads at ${result.requests_per_s}/s ${JSON.stringify(result.statuses)}; ` +
        `${result.status_page_reads} status queries, ${result.readiness_probes} probes`,
    );
    return result;
  } finally {
    await system.terminate(incidents);
  }
}

export async function publicReadsScenario(system: System, options: FloodOptions, log: (line: string) => void): Promise<PublicReadsResult> {
  const noLimits = { RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_KEY_PER_MINUTE: '0' };
  try {
    const cached = await floodRun(system, noLimits, options, log);
    const uncached = await floodRun(system, { ...noLimits, STATUS_CACHE_MS: '0', READYZ_CACHE_MS: '0' }, options, log);
    return { options, target_ratio: TARGET_RATIO, cached, uncached };
  } finally {
    // The scenarios after this one get the API as configured.
    await system.startApi();
  }
}
