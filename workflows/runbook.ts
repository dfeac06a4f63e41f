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
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { CapabilityActivities } from '../core/capabilities/activities';
import { stepIdempotencyKey } from '../core/capabilities/keys';
import { dryRunResult } from '../core/capabilities/dry-run';
import {
  ExecutionFailure,
  ExecutionStatus,
  type DecideApprovalInput,
  type ExecutionSnapshot,
  type GuardDecision,
  type RunbookExecutionInput,
  type StepRecord,
} from '../core/execution';
import type { IncidentSnapshot } from '../core/incident';
import type { TimelineEntry } from '../core/incident-model';
import { decideApprovalUpdate, executionQuery, recordEventSignal } from '../core/messages';
import type {
  ApprovalDecision,
  ApprovalRequest,
  Duration,
  RunbookContext,
  Step,
  StepOptions,
} from '../core/runbook';
import type { PlatformActivities } from '../activities/platform';
import { loadRunbook } from '../core/runbook-catalog';
import type * as Catalog from '../runbooks/catalog';

/** Activities whose steps may run for long (rollouts, scaling until stable). */
const LONG_STEPS = new Set<keyof CapabilityActivities>(['deployRollback', 'scalingScaleService']);

const platform = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

const toMs = (duration: Duration): number => {
  if (typeof duration === 'number') return duration;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?)\s*$/i.exec(duration);
  if (!match) throw ApplicationFailure.nonRetryable(`cannot read duration "${duration}"`, ExecutionFailure.Failed);
  const unit = match[2].toLowerCase();
  const scale = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return Number(match[1]) * scale;
};

const messageOf = (error: unknown): string => {
  if (error instanceof Error && error.cause instanceof Error) return messageOf(error.cause);
  return error instanceof Error ? error.message : String(error);
};

/**
 * Runs one runbook: its `run` code calls steps through `ctx`; each step is an activity
 * keyed for idempotency by this workflow's id and the step id. On failure or cancellation
 * the compensations of completed steps run in reverse, once, uninterruptibly. In a dry run
 * no activity is called: steps are recorded and return placeholders.
 */
export async function runbookWorkflow(input: RunbookExecutionInput): Promise<ExecutionSnapshot> {
  // Loaded here, for this execution alone, and only the runbook it runs: runbooks hold zod
  // schemas, which memoise into themselves and so cannot be part of the modules workflows
  // share (workflow-bundle.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RUNBOOK_FILES } = require('../runbooks/catalog') as typeof Catalog;
  const runbook = loadRunbook(RUNBOOK_FILES, input.runbookId);
  if (!runbook) throw ApplicationFailure.nonRetryable(`no runbook "${input.runbookId}"`, ExecutionFailure.UnknownRunbook);
  const parsed = runbook.input.safeParse(input.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `input.${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw ApplicationFailure.nonRetryable(issues, ExecutionFailure.InvalidInput);
  }

  const { workflowId } = workflowInfo();
  const dryRun = input.dryRun === true;
  const execution: ExecutionSnapshot = {
    id: workflowId,
    runbookId: runbook.id,
    runbookVersion: runbook.version ?? 1,
    title: runbook.title,
    status: ExecutionStatus.Running,
    dryRun,
    incidentId: input.incidentId,
    launchedBy: input.launchedBy,
    trigger: input.trigger,
    input: parsed.data,
    startedAt: new Date().toISOString(),
    steps: [],
    approvals: [],
    log: [],
  };
  const compensations: Array<{ stepId: string; undo: () => Promise<unknown> }> = [];
  const occurrences = new Map<string, number>();
  let decision: ApprovalDecision | undefined;
  let compensatingFor: string | undefined;

  setHandler(executionQuery, () => execution);
  setHandler(
    decideApprovalUpdate,
    ({ approve, comment, actor }: DecideApprovalInput): ApprovalDecision => {
      decision = { approved: approve, by: actor, comment, at: new Date().toISOString() };
      return decision;
    },
    {
      validator: ({ role, approve }: DecideApprovalInput) => {
        const pending = execution.pendingApproval;
        if (!pending || decision) throw ApplicationFailure.nonRetryable('no approval is pending', ExecutionFailure.NoPendingApproval);
        if (typeof approve !== 'boolean') throw ApplicationFailure.nonRetryable('approve must be true or false', ExecutionFailure.NoPendingApproval);
        if (!pending.approvers.includes(role)) {
          throw ApplicationFailure.nonRetryable(
            `only ${pending.approvers.join(' or ')} keys may decide this approval; yours is ${role}`,
            ExecutionFailure.ApprovalForbidden,
          );
        }
      },
    },
  );

  /** Tells the incident, if any; a closed incident no longer listens, which is fine. */
  const tellIncident = async (entry: Omit<TimelineEntry, 'at'>) => {
    if (!input.incidentId) return;
    try {
      const incident = getExternalWorkflowHandle(input.incidentId);
      // What the run did reaches the incident even when the run is being cancelled.
      await CancellationScope.nonCancellable(() => incident.signal(recordEventSignal, { entry }));
    } catch {
      // The incident has closed; the execution keeps its own log.
    }
  };
  // Runs from before this change waited for each signal to reach the incident before going on.
  const tellsInBackground = patched('runbook-tells-incident-in-background');
  /** The signals to the incident still on their way, one after the other (so in order). */
  let told: Promise<void> = Promise.resolve();
  const note = async (message: string) => {
    execution.log.push({ at: new Date().toISOString(), message });
    const entry: Omit<TimelineEntry, 'at'> = {
      kind: 'runbook',
      actor: `runbook:${runbook.id}`,
      summary: `${runbook.title}${dryRun ? ' (dry run)' : ''}: ${message}`,
      details: { executionId: workflowId },
    };
    if (tellsInBackground) told = told.then(() => tellIncident(entry));
    else await tellIncident(entry);
  };

  const step = <A extends keyof CapabilityActivities>(activity: A, name: string): Step<A> =>
    (async (stepInput: Parameters<Step<A>>[0], options: StepOptions<Awaited<ReturnType<CapabilityActivities[A]>>> = {}) => {
      const occurrence = (occurrences.get(name) ?? 0) + 1;
      occurrences.set(name, occurrence);
      const base = options.id ?? (occurrence === 1 ? name : `${name}#${occurrence}`);
      const id = compensatingFor ? `undo:${compensatingFor}:${base}` : base;
      const record: StepRecord = {
        id,
        name,
        args: stepInput,
        status: dryRun ? 'planned' : 'running',
        startedAt: new Date().toISOString(),
        ...(compensatingFor ? { compensates: compensatingFor } : {}),
      };
      execution.steps.push(record);
      execution.currentStep = id;
      const activityInput = { ...stepInput, idempotencyKey: stepIdempotencyKey(workflowId, id) } as Parameters<CapabilityActivities[A]>[0];
      let result: Awaited<ReturnType<CapabilityActivities[A]>>;
      if (dryRun) {
        result = dryRunResult(activity, activityInput as Parameters<typeof dryRunResult<A>>[1], id);
      } else {
        const retry = options.retry ?? {};
        const activityOptions: ActivityOptions = {
          activityId: id,
          startToCloseTimeout: options.timeout !== undefined ? toMs(options.timeout) : LONG_STEPS.has(activity) ? '15 minutes' : '30 seconds',
          heartbeatTimeout: LONG_STEPS.has(activity) ? '1 minute' : undefined,
          retry: {
            maximumAttempts: retry.maximumAttempts ?? 5,
            initialInterval: retry.initialInterval !== undefined ? toMs(retry.initialInterval) : '1 second',
            maximumInterval: retry.maximumInterval !== undefined ? toMs(retry.maximumInterval) : '30 seconds',
            backoffCoefficient: retry.backoffCoefficient ?? 2,
          },
        };
        const call = proxyActivities<CapabilityActivities>(activityOptions)[activity] as (
          arg: typeof activityInput,
        ) => Promise<Awaited<ReturnType<CapabilityActivities[A]>>>;
        try {
          result = await call(activityInput);
        } catch (error) {
          record.status = 'failed';
          record.error = messageOf(error);
          record.endedAt = new Date().toISOString();
          throw error;
        }
        record.status = 'completed';
      }
      record.result = result;
      record.endedAt = new Date().toISOString();
      if (options.compensate && !compensatingFor) {
        const undo = options.compensate;
        compensations.push({ stepId: id, undo: () => undo(result) });
      }
      return result;
    }) as Step<A>;

  const ctx: RunbookContext = {
    executionId: workflowId,
    incidentId: input.incidentId,
    dryRun,
    runbookVersion: execution.runbookVersion,
    ticketing: {
      createTicket: step('ticketingCreateTicket', 'ticketing.createTicket'),
      comment: step('ticketingComment', 'ticketing.comment'),
      transition: step('ticketingTransition', 'ticketing.transition'),
    },
    chat: {
      createChannel: step('chatCreateChannel', 'chat.createChannel'),
      invite: step('chatInvite', 'chat.invite'),
      postMessage: step('chatPostMessage', 'chat.postMessage'),
      setTopic: step('chatSetTopic', 'chat.setTopic'),
    },
    video: { createMeeting: step('videoCreateMeeting', 'video.createMeeting') },
    statusPage: {
      openIncident: step('statusPageOpenIncident', 'statusPage.openIncident'),
      updateIncident: step('statusPageUpdateIncident', 'statusPage.updateIncident'),
      setComponentStatus: step('statusPageSetComponentStatus', 'statusPage.setComponentStatus'),
    },
    deploy: {
      findReleases: step('deployFindReleases', 'deploy.findReleases'),
      rollback: step('deployRollback', 'deploy.rollback'),
    },
    scaling: {
      describeService: step('scalingDescribeService', 'scaling.describeService'),
      scaleService: step('scalingScaleService', 'scaling.scaleService'),
    },
    paging: { page: step('pagingPage', 'paging.page') },
    incident: {
      get: async (): Promise<IncidentSnapshot | null> =>
        input.incidentId ? platform.incidentRead({ incidentId: input.incidentId }) : null,
      note: (text: string) => note(text),
    },
    approve: (request: ApprovalRequest) => approve(request),
    sleep: async (duration: Duration) => {
      if (dryRun) return plan('sleep', { duration });
      await sleep(toMs(duration));
    },
    waitFor: async (check, { timeout, every = '15 seconds' }) => {
      // A dry run plans the wait and assumes the condition comes true.
      if (dryRun) return (plan('waitFor', { timeout, every }), true);
      const until = Date.now() + toMs(timeout);
      for (;;) {
        if (await check()) return true;
        const left = until - Date.now();
        if (left <= 0) return false;
        await sleep(Math.min(toMs(every), left));
      }
    },
    log: (message: string) => note(message),
    patched: (changeId: string) => patched(changeId),
  };

  /** Records a step that a dry run plans but does not perform (waits, sleeps, approvals). */
  function plan(name: string, args: unknown): void {
    const occurrence = (occurrences.get(name) ?? 0) + 1;
    occurrences.set(name, occurrence);
    const id = occurrence === 1 ? name : `${name}#${occurrence}`;
    execution.steps.push({ id, name, args, status: 'planned', startedAt: new Date().toISOString() });
  }

  async function approve(request: ApprovalRequest): Promise<ApprovalDecision | null> {
    const approvers = request.approvers ?? ['responder', 'admin'];
    if (dryRun) {
      plan('approval', { prompt: request.prompt, approvers, timeout: request.timeout });
      const assumed = { approved: true, by: 'dry-run', at: new Date().toISOString() };
      execution.approvals.push({ ...assumed, prompt: request.prompt });
      return assumed;
    }
    const timeoutMs = toMs(request.timeout);
    decision = undefined;
    execution.pendingApproval = {
      prompt: request.prompt,
      approvers,
      requestedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + timeoutMs).toISOString(),
    };
    execution.status = ExecutionStatus.WaitingApproval;
    await note(`waiting for approval (${approvers.join(' or ')}): ${request.prompt}`);
    const decided = await condition(() => decision !== undefined, timeoutMs);
    execution.pendingApproval = undefined;
    execution.status = ExecutionStatus.Running;
    if (!decided || !decision) {
      await note(`approval timed out: ${request.prompt}`);
      return null;
    }
    const made: ApprovalDecision = decision;
    execution.approvals.push({ ...made, prompt: request.prompt });
    await note(`${made.approved ? 'approved' : 'rejected'} by ${made.by}${made.comment ? `: ${made.comment}` : ''}`);
    return made;
  }

  /** Undoes completed steps in reverse, each once; nothing interrupts this. */
  async function compensate(): Promise<string[]> {
    const undone: string[] = [];
    if (compensations.length === 0) return undone;
    execution.status = ExecutionStatus.Compensating;
    await CancellationScope.nonCancellable(async () => {
      for (const { stepId, undo } of [...compensations].reverse()) {
        compensatingFor = stepId;
        try {
          await undo();
          undone.push(stepId);
          await note(`undid ${stepId}`);
        } catch (error) {
          await note(`could not undo ${stepId}: ${messageOf(error)}`);
        } finally {
          compensatingFor = undefined;
        }
      }
    });
    return undone;
  }

  const finish = async (status: ExecutionStatus, outcome: Omit<NonNullable<ExecutionSnapshot['outcome']>, 'status'>) => {
    execution.status = status;
    execution.outcome = { status, ...outcome };
    execution.endedAt = new Date().toISOString();
    execution.currentStep = undefined;
  };

  await note(`started${input.trigger === 'manual' ? ` by ${input.launchedBy}` : ` (${input.trigger})`}`);

  // Guardrails: one run per target at a time, and a durable budget of runs that act.
  const guardrails = runbook.guardrails;
  const target = guardrails && !dryRun ? guardrails.target(parsed.data) : undefined;
  let guard: GuardDecision | undefined;
  if (guardrails && target !== undefined) {
    guard = await platform.guardAcquire({
      runbookId: runbook.id,
      target,
      executionId: workflowId,
      singleFlight: guardrails.singleFlight ?? true,
      budget: guardrails.budget,
    });
    if (guard.role === 'follower') {
      await note(`joined the run already going for ${target}: ${guard.leader}`);
      await finish(ExecutionStatus.Joined, { joined: guard.leader, undone: [] });
      await told;
      return execution;
    }
  }

  try {
    if (guard?.role === 'leader' && !guard.allowed) {
      const why = `budget spent for ${target}: ${guard.used} of ${guard.max} runs in ${guard.windowMinutes} minutes`;
      await note(`${why}; paging a human instead of acting`);
      await ctx.paging.page({
        incidentId: input.incidentId ?? workflowId,
        action: 'trigger',
        dedupKey: `${runbook.id}:${target}:over-budget`,
        summary: `${runbook.title} wanted to act on ${target}, but ${why}. A human must decide.`,
        severity: 'critical',
      });
      await finish(ExecutionStatus.OverBudget, { undone: [] });
      return execution;
    }
    const result = await runbook.run(ctx, parsed.data);
    await note(dryRun ? 'dry run planned' : 'completed');
    await finish(ExecutionStatus.Completed, { result, undone: [] });
    return execution;
  } catch (error) {
    const cancelled = isCancellation(error);
    await CancellationScope.nonCancellable(() => note(cancelled ? 'cancelled; undoing completed steps' : `failed: ${messageOf(error)}`));
    const undone = await compensate();
    await CancellationScope.nonCancellable(() =>
      finish(cancelled ? ExecutionStatus.Cancelled : ExecutionStatus.Failed, { error: messageOf(error), undone }),
    );
    // Rethrown so Temporal records the run as cancelled; the query still shows the outcome.
    if (cancelled) throw error;
    throw ApplicationFailure.nonRetryable(`${runbook.title} failed: ${messageOf(error)}`, ExecutionFailure.Failed, execution.outcome);
  } finally {
    if (guard?.role === 'leader' && target !== undefined) {
      await CancellationScope.nonCancellable(() =>
        platform.guardRelease({ runbookId: runbook.id, target, executionId: workflowId }),
      );
    }
    // A signal still on its way when the run ends might not be sent: wait for them all.
    await CancellationScope.nonCancellable(async () => {
      await told;
      await condition(allHandlersFinished);
    });
  }
}
