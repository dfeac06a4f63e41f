/**
 * Scenario 1, alert → first action: one alert at a time, each with a new dedup key (so each
 * opens an incident), timed from sending `POST /v1/alerts` to the first line of the first
 * activity it causes (level 1 of the default route's escalation policy: `oncallResolve`
 * reading who is on call, or `pagingPage` for a pager target), and on to the first
 * notification sent to a person.
 * Baseline: update-with-start of a minimal workflow running one activity, timed to that
 * activity's first line. Firebreak and baseline alternate (A, B, A, B).
 */
import { now } from '../lib/clock';
import { type Phases, phasesOf, type PhaseSummaries, summarizePhases, wallClockSkew } from '../lib/phases';
import { alternate } from '../lib/pool';
import { quantiles, ratio, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';
import { type AlertAnswer, firingAlert } from './alerts';

export interface LatencyResult {
  samples: number;
  warmup: number;
  firebreak: Summary & { ack: Summary };
  baseline: Summary & { ack: Summary };
  /**
   * Alert → first notification sent: from sending the alert to the moment the first
   * notification's channel took it (the shipped policy's level 1 is `schedule:primary`,
   * whose person is notified by Slack and email at once; local adapters). Firebreak only.
   */
  notification: Summary;
  ratio_p50: number;
  ratio_p90: number;
  ratio_p99: number;
  targets: { ratio_p50: number; ratio_p99: number };
  met: { ratio_p50: boolean; ratio_p99: boolean };
  /** Where the time went, per phase, read back from each sample's workflow history (ms). */
  phases: { firebreak: PhaseSummaries; baseline: PhaseSummaries };
  /** The driver's and the worker's clocks agree to within this (half the best IPC round trip). */
  clock_error_ms: number;
  /** Raw first-action latencies in send order (ms), for the chart and for re-analysis. */
  samples_ms: { firebreak: number[]; baseline: number[] };
  quantiles_ms: { firebreak: number[]; baseline: number[] };
}

export async function latencyScenario(system: System, { samples, warmup }: { samples: number; warmup: number }): Promise<LatencyResult> {
  const run = Date.now().toString(36);
  const incidents: string[] = [];
  const baselines: string[] = [];

  const viaFirebreak = async (index: number) => {
    const key = `latency-${run}-${index}`;
    const body = firingAlert(key, `Bench latency alert ${index}`);
    const start = now();
    const answer = await system.http.post<AlertAnswer>('/v1/alerts', body);
    const ack = now() - start;
    if (answer.status !== 202 || !answer.body.incidentId) throw new Error(`POST /v1/alerts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    incidents.push(answer.body.incidentId);
    const at = await system.marks.wait(`page:${answer.body.incidentId}`);
    const notified = await system.marks.wait(`notify:${answer.body.incidentId}`);
    return { first: at - start, ack, notified: notified - start, workflowId: answer.body.incidentId, start, at };
  };

  const viaBaseline = async (index: number) => {
    const key = `latency-${run}-${index}`;
    const workflowId = `baseline-${key}`;
    const body = firingAlert(key, `Bench latency alert ${index}`);
    const start = now();
    await system.baselineUpdateWithStart(workflowId, { key, stayOpen: true }, body);
    const ack = now() - start;
    baselines.push(workflowId);
    const at = await system.marks.wait(`baseline:${key}`);
    return { first: at - start, ack, workflowId, start, at };
  };

  const runs = await alternate(warmup, samples, viaFirebreak, viaBaseline);
  const firebreak = runs.a.map((run) => run.first);
  const firebreakAck = runs.a.map((run) => run.ack);
  const notified = runs.a.map((run) => run.notified);
  const baseline = runs.b.map((run) => run.first);
  const baselineAck = runs.b.map((run) => run.ack);
  const phases = async (sampled: Array<{ workflowId: string; start: number; at: number }>) => {
    const skew = wallClockSkew();
    const of: Phases[] = [];
    for (const sample of sampled) of.push(await phasesOf(system.client, sample.workflowId, sample.start, sample.at, skew));
    return summarizePhases(of);
  };
  const phaseSummaries = { firebreak: await phases(runs.a), baseline: await phases(runs.b) };
  await system.terminate([...incidents, ...baselines]);

  const f = summarize(firebreak);
  const b = summarize(baseline);
  const result = {
    samples,
    warmup,
    firebreak: { ...f, ack: summarize(firebreakAck) },
    notification: summarize(notified),
    baseline: { ...b, ack: summarize(baselineAck) },
    ratio_p50: ratio(f.p50, b.p50),
    ratio_p90: ratio(f.p90, b.p90),
    ratio_p99: ratio(f.p99, b.p99),
    phases: phaseSummaries,
    targets: { ratio_p50: 1.1, ratio_p99: 1.25 },
    met: { ratio_p50: false, ratio_p99: false },
    clock_error_ms: Math.round(system.clockErrorMs * 1000) / 1000,
    samples_ms: { firebreak: firebreak.map((v) => Math.round(v * 100) / 100), baseline: baseline.map((v) => Math.round(v * 100) / 100) },
    quantiles_ms: { firebreak: quantiles(firebreak), baseline: quantiles(baseline) },
  };
  result.met = { ratio_p50: result.ratio_p50 <= 1.1, ratio_p99: result.ratio_p99 <= 1.25 };
  return result;
}
