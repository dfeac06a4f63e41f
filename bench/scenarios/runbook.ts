/**
 * Scenario 4, a runbook end to end: `major-incident-kickoff` on the local adapters, from
 * sending `POST /v1/runbooks/:name/executions` to the workflow's completion (the driver
 * waits on the execution's result, as `GET /v1/executions/:id` would show it, without
 * polling). Baseline: a raw workflow running as many no-op activities, one after another,
 * as the runbook's execution scheduled. Firebreak and baseline alternate (A, B, A, B).
 */
import { BASELINE_TASK_QUEUE } from '../baseline/messages';
import type { baselineWorkflow } from '../baseline/workflows';
import { now } from '../lib/clock';
import { alternate } from '../lib/pool';
import { quantiles, ratio, type Summary, summarize } from '../lib/stats';
import { type System, TASK_QUEUE } from '../lib/system';
import { statusPageWorkflowId, updateStatusIncidentUpdate } from '../../core/model/status-page-messages';

export const RUNBOOK = 'major-incident-kickoff';

export interface RunbookResult {
  runbook: string;
  samples: number;
  warmup: number;
  /** Activities one execution scheduled (its steps and bookkeeping), and so the baseline's count. */
  activities: number;
  firebreak: Summary & { launch_ack: Summary };
  baseline: Summary;
  ratio_p50: number;
  ratio_p99: number;
  target: { ratio_p50: number };
  met: { ratio_p50: boolean };
  samples_ms: { firebreak: number[]; baseline: number[] };
  quantiles_ms: { firebreak: number[]; baseline: number[] };
}

/** Whether the runbook API and the runbook exist; the reason when not. */
export async function runbookUnavailable(system: System): Promise<string | undefined> {
  const catalog = await system.http.get<{ runbooks?: Array<{ id: string }> }>('/v1/runbooks');
  if (catalog.status === 404) return 'runbooks not built yet';
  if (catalog.status !== 200) return `GET /v1/runbooks answered ${catalog.status}`;
  if (!catalog.body.runbooks?.some((runbook) => runbook.id === RUNBOOK)) return `no ${RUNBOOK} runbook in the catalog yet`;
  return undefined;
}

interface ExecutionView {
  status: string;
  steps: Array<{ id: string; status: string }>;
}

/**
 * Resolves the public status incident a kickoff opened, outside the timed part: each sample is
 * an incident of its own, and the status page holds a bounded number of unresolved ones.
 */
async function resolveStatusIncident(system: System, statusIncidentId: string | undefined, executionId: string): Promise<void> {
  if (!statusIncidentId) throw new Error(`${RUNBOOK} ${executionId} opened no status incident`);
  await system.client.workflow.getHandle(statusPageWorkflowId(TASK_QUEUE)).executeUpdate(updateStatusIncidentUpdate, {
    args: [{ idempotencyKey: `bench-resolve-${executionId}`, statusIncidentId, status: 'resolved', message: 'Bench sample finished.', components: {} }],
  });
}

export async function runbookScenario(system: System, { samples, warmup }: { samples: number; warmup: number }): Promise<RunbookResult> {
  const run = Date.now().toString(36);
  let activities = 0;

  const viaFirebreak = async (index: number) => {
    const start = now();
    const launched = await system.http.post<{ id: string }>(`/v1/runbooks/${RUNBOOK}/executions`, {
      input: { title: `Bench kickoff ${index}`, service: 'checkout', responders: ['U-bench-1', 'U-bench-2'] },
    });
    const ack = now() - start;
    if (launched.status !== 201) throw new Error(`launching ${RUNBOOK} answered ${launched.status}: ${JSON.stringify(launched.body)}`);
    const handle = system.client.workflow.getHandle(launched.body.id);
    const execution: { outcome?: { result?: { statusIncident?: string } } } = await handle.result();
    const done = now() - start;
    await resolveStatusIncident(system, execution.outcome?.result?.statusIncident, launched.body.id);
    if (activities === 0) {
      // Once: what the execution did, read the way users read it, and its activity count.
      const view = await system.http.get<ExecutionView>(`/v1/executions/${launched.body.id}`);
      if (view.status !== 200 || view.body.status !== 'completed') {
        throw new Error(`${RUNBOOK} did not complete: ${view.status} ${JSON.stringify(view.body).slice(0, 500)}`);
      }
      const history = await handle.fetchHistory();
      activities = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes).length;
    }
    return { done, ack };
  };

  const viaBaseline = async (index: number) => {
    const key = `runbook-${run}-${index}`;
    const start = now();
    await system.client.workflow.execute<typeof baselineWorkflow>('baselineWorkflow', {
      workflowId: `baseline-${key}`,
      taskQueue: BASELINE_TASK_QUEUE,
      args: [{ key, steps: activities }],
    });
    return now() - start;
  };

  const runs = await alternate(warmup, samples, viaFirebreak, viaBaseline);
  const firebreak = runs.a.map((run) => run.done);
  const launchAck = runs.a.map((run) => run.ack);
  const baseline = runs.b;
  const f = summarize(firebreak);
  const b = summarize(baseline);
  const ratioP50 = ratio(f.p50, b.p50);
  return {
    runbook: RUNBOOK,
    samples,
    warmup,
    activities,
    firebreak: { ...f, launch_ack: summarize(launchAck) },
    baseline: b,
    ratio_p50: ratioP50,
    ratio_p99: ratio(f.p99, b.p99),
    target: { ratio_p50: 1.2 },
    met: { ratio_p50: ratioP50 <= 1.2 },
    samples_ms: { firebreak: firebreak.map((v) => Math.round(v * 100) / 100), baseline: baseline.map((v) => Math.round(v * 100) / 100) },
    quantiles_ms: { firebreak: quantiles(firebreak), baseline: quantiles(baseline) },
  };
}
