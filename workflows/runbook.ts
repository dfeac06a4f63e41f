/**
 * The runbook workflow: wiring between Temporal and a {@link RunbookRun} (core/model/runbook-engine),
 * which holds the run's bookkeeping. Here: loading the runbook, the handlers, the
 * guardrails, and the Temporal side of each step, wait and signal.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CapabilityActivities } from '../core/model/capabilities/activities';
import { ExecutionFailure, ExecutionStatus, type ExecutionSnapshot, type GuardDecision, type RunbookExecutionInput } from '../core/model/execution';
import { decideApprovalUpdate, executionQuery, recordEventSignal } from '../core/model/messages';
import type { RunbookDefinition } from '../core/model/runbook';
import { refuseDecision } from '../core/model/runbook-engine/approvals';
import { messageOf } from '../core/model/runbook-engine/durations';
import { RunbookRun, type RunbookHost } from '../core/model/runbook-engine/run';
import type { PlatformActivities } from '../core/model/capabilities/platform-activities';
import { loadRunbook } from '../core/model/runbook-catalog';
import type * as Catalog from '../runbooks/catalog';
import { currentPaths, runbookCompat } from './compat';
import { recordExecutionChanges } from './runbook-record';
import { publishExecutionEvents } from './runbook-webhooks';
import { loadLazily } from './lazy';
import { describeIssues } from '../core/model/validation-issues';
import { type ExecutionMemo, ExecutionStatusAttribute, executionSearchAttributes, listedApproval } from '../core/model/search-attributes';

const platform = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/**
 * Runs one runbook: its `run` code calls steps through `ctx`; each step is an activity
 * keyed for idempotency by this workflow's id and the step id. On failure or cancellation
 * the compensations of completed steps run in reverse, once, uninterruptibly. In a dry run
 * no activity is called: steps are recorded and return placeholders.
 */
export async function runbookWorkflow(input: RunbookExecutionInput): Promise<ExecutionSnapshot> {
  const paths = currentPaths();
  const runbook = launchedRunbook(input.runbookId);
  const run = new RunbookRun(runbook, input, parseInput(runbook, input.input), workflowInfo().workflowId, temporalHost(input.incidentId));
  setHandler(executionQuery, () => run.execution);
  setHandler(decideApprovalUpdate, (decision) => run.decide(decision), {
    validator: (decision) => {
      const refused = refuseDecision(run.execution.pendingApproval, run.decision, decision);
      if (refused) throw ApplicationFailure.nonRetryable(refused.message, refused.type);
    },
  });
  run.tellsInBackground = runbookCompat.tellsIncidentInBackground(paths);
  run.statusPageFollowsIncident = () => runbookCompat.statusPageFollowsIncident(paths);
  run.chatFollowsIncident = () => runbookCompat.chatFollowsIncident(paths);
  const listing = runbookCompat.publishesListing(paths) ? publishListing(run) : undefined;
  // A dry run has no side effects, webhooks included.
  const webhooks = !run.dryRun && runbookCompat.publishesWebhooks(paths) ? publishExecutionEvents(run) : undefined;
  const record = runbookCompat.writesRecord(paths) ? recordExecutionChanges(run) : undefined;

  await run.note(`started${input.trigger === 'manual' ? ` by ${input.launchedBy}` : ` (${input.trigger})`}`);
  const guarded = await acquireGuard(run);
  if (guarded?.guard.role === 'follower') {
    await run.note(`joined the run already going for ${guarded.target}: ${guarded.guard.leader}`);
    run.finish(ExecutionStatus.Joined, { joined: guarded.guard.leader, undone: [] });
    listing?.publish();
    await webhooks?.flush();
    await record?.flush();
    await run.told;
    return run.execution;
  }
  try {
    if (guarded?.guard.role === 'leader' && !guarded.guard.allowed) return await pageOverBudget(run, guarded.target, guarded.guard);
    return await run.perform();
  } catch (error) {
    const cancelled = isCancellation(error);
    await run.fail(error, cancelled);
    // Rethrown so Temporal records the run as cancelled; the query still shows the outcome.
    if (cancelled) throw error;
    throw ApplicationFailure.nonRetryable(`${runbook.title} failed: ${messageOf(error)}`, ExecutionFailure.Failed, run.execution.outcome);
  } finally {
    // The final status is published before the run ends, never after.
    listing?.publish();
    if (guarded?.guard.role === 'leader') {
      for (const target of guarded.held) {
        await CancellationScope.nonCancellable(() => platform.guardRelease({ runbookId: runbook.id, target, executionId: run.executionId }));
      }
    }
    // A signal, webhook event or record write still on its way when the run ends might not be sent: wait for them all.
    await CancellationScope.nonCancellable(async () => {
      await webhooks?.flush();
      await record?.flush();
      await run.told;
      await condition(allHandlersFinished);
    });
  }
}

/**
 * Lists the execution: its runbook, status and incident as search attributes, and what the
 * list shows besides (title, dry run, who launched it, the approval waiting) in its memo. Each
 * change is published in the workflow task that made it; nothing unchanged is written again.
 */
function publishListing(run: RunbookRun): { publish(): void } {
  const { execution } = run;
  let status = execution.status;
  let approval = execution.pendingApproval;
  upsertSearchAttributes(executionSearchAttributes({ runbookId: execution.runbookId, status, incidentId: execution.incidentId }));
  const memo: ExecutionMemo = { title: execution.title, dryRun: execution.dryRun, launchedBy: execution.launchedBy };
  upsertMemo({ ...memo });
  const publish = () => {
    if (execution.status !== status) {
      status = execution.status;
      upsertSearchAttributes([{ key: ExecutionStatusAttribute, value: status }]);
    }
    if (execution.pendingApproval !== approval) {
      approval = execution.pendingApproval;
      upsertMemo({ pendingApproval: listedApproval(approval) });
    }
  };
  // Not cancellable: cancelling the run must not end the watch (the final status is yet to come).
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => execution.status !== status || execution.pendingApproval !== approval);
      publish();
    }
  });
  return { publish };
}

/**
 * The runbook this execution runs, evaluating its file alone: runbooks hold zod schemas,
 * which memoise into themselves and so cannot be part of the modules workflows share
 * (workflow-bundle.ts).
 */
function launchedRunbook(runbookId: string): RunbookDefinition {
  const { RUNBOOK_FILES } = loadLazily<typeof Catalog>(() => require('../runbooks/catalog'));
  const runbook = loadRunbook(RUNBOOK_FILES, runbookId);
  if (!runbook) throw ApplicationFailure.nonRetryable(`no runbook "${runbookId}"`, ExecutionFailure.UnknownRunbook);
  return runbook;
}

function parseInput(runbook: RunbookDefinition, given: unknown): unknown {
  const parsed = runbook.input.safeParse(given);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error.issues, { prefix: 'input.' });
  throw ApplicationFailure.nonRetryable(issues, ExecutionFailure.InvalidInput);
}

/** Steps as activities, waits as timers and conditions, notes as signals to the incident. */
function temporalHost(incidentId: string | undefined): RunbookHost {
  return {
    callActivity: (activity, stepInput, options) =>
      (proxyActivities<CapabilityActivities>(options) as unknown as Record<string, (arg: unknown) => Promise<unknown>>)[activity](stepInput),
    readIncident: (id) => platform.incidentRead({ incidentId: id }),
    tellIncident: async (entry, news) => {
      if (!incidentId) return;
      try {
        const incident = getExternalWorkflowHandle(incidentId);
        // What the run did reaches the incident even when the run is being cancelled.
        await CancellationScope.nonCancellable(() => incident.signal(recordEventSignal, { entry, ...news }));
      } catch {
        // The incident has closed; the execution keeps its own log.
      }
    },
    sleep: (ms) => sleep(ms),
    condition: (done, timeoutMs) => condition(done, timeoutMs),
    nonCancellable: (fn) => CancellationScope.nonCancellable(fn),
    patched: (changeId) => patched(changeId),
    now: () => Date.now(),
  };
}

/**
 * The guard target of a runbook's global budget (its runs across every target): one per
 * deployment of Firebreak, which is one task queue.
 */
const globalBudgetTarget = () => `*@${workflowInfo().taskQueue}`;

/**
 * Guardrails: one run per target at a time, and a durable budget of runs that act, per target
 * and (`globalBudget`) across all of them. Not in a dry run. `held`: the guards to release.
 */
async function acquireGuard({ runbook, execution, executionId }: RunbookRun): Promise<{ guard: GuardDecision; target: string; held: string[] } | undefined> {
  const guardrails = runbook.guardrails;
  if (!guardrails || execution.dryRun) return undefined;
  const target = guardrails.target(execution.input);
  const guard = await platform.guardAcquire({
    runbookId: runbook.id,
    target,
    executionId,
    singleFlight: guardrails.singleFlight ?? true,
    budget: guardrails.budget,
  });
  // Runs recorded before the global budget existed took one guard only.
  if (guard.role === 'leader' && guard.allowed && guardrails.globalBudget && patched('runbook-global-budget')) {
    const everywhere = globalBudgetTarget();
    const global = await platform.guardAcquire({ runbookId: runbook.id, target: everywhere, executionId, singleFlight: false, budget: guardrails.globalBudget });
    const held = [target, everywhere];
    if (global.role === 'leader' && !global.allowed) return { guard: global, target: `all targets of ${runbook.id}`, held };
    return { guard, target, held };
  }
  return { guard, target, held: [target] };
}

/** Past its budget a runbook does not act: it pages a human instead. */
async function pageOverBudget(run: RunbookRun, target: string, guard: Extract<GuardDecision, { role: 'leader' }>): Promise<ExecutionSnapshot> {
  const why = `budget spent for ${target}: ${guard.used} of ${guard.max} runs in ${guard.windowMinutes} minutes`;
  await run.note(`${why}; paging a human instead of acting`);
  await run.ctx.paging.page({
    incidentId: run.input.incidentId ?? run.executionId,
    action: 'trigger',
    dedupKey: `${run.runbook.id}:${target}:over-budget`,
    summary: `${run.runbook.title} wanted to act on ${target}, but ${why}. A human must decide.`,
    severity: 'critical',
  });
  run.finish(ExecutionStatus.OverBudget, { undone: [] });
  return run.execution;
}
