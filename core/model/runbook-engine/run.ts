/**
 * One runbook run, apart from where it runs: the execution it records, its steps and
 * their ids, the plan of a dry run, approvals and compensations. The runbook workflow runs
 * it over Temporal; the runbook test kit runs it in-process. Everything that touches the
 * outside world goes through the {@link RunbookHost}.
 */
import type { ActivityOptions } from '@temporalio/common';
import { activityName } from '../capabilities/activities';
import { stepIdempotencyKey } from '../capabilities/keys';
import { CAPABILITIES, declarationOf, operationNames, type Operation } from '../capabilities/operations';
import { customActivityName, isCustomCapability } from '../capability';
import { ExecutionStatus, type DecideApprovalInput, type ExecutionSnapshot, type RunbookExecutionInput } from '../execution';
import type { IncidentSnapshot, RecordEventInput } from '../incident';
import type { TimelineEntry } from '../incident-model';
import type { ApprovalDecision, ApprovalRequest, Duration, RunbookContext, RunbookDefinition, RunbookSteps, StepOptions } from '../runbook';
import { type ApprovalGate, decisionMessage, pendingApproval, requiredApprovers, takeDecision } from './approvals';
import { approveRoles } from './permissions';
import { messageOf, toMs } from './durations';
import { compensationOrder, startStep, StepIds, stepActivityOptions } from './steps';

/** What a run needs from where it runs. */
export interface RunbookHost {
  /** Calls step `activity` (never in a dry run). */
  callActivity(activity: string, input: unknown, options: ActivityOptions): Promise<unknown>;
  readIncident(incidentId: string): Promise<IncidentSnapshot | null>;
  /**
   * Adds an entry to the run's incident's timeline, if it has one; a closed incident is no
   * error. `news` tells it of a status-page incident the run opened or updated for it.
   */
  tellIncident(entry: Omit<TimelineEntry, 'at'>, news?: Pick<RecordEventInput, 'statusPage' | 'chat'>): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Resolves true once `done()` holds, false after `timeoutMs`. */
  condition(done: () => boolean, timeoutMs: number): Promise<boolean>;
  /** Runs `fn` so that cancelling the run does not interrupt it. */
  nonCancellable<T>(fn: () => Promise<T>): Promise<T>;
  patched(changeId: string): boolean;
  /** The time now, in milliseconds (a workflow's deterministic clock). */
  now(): number;
}

type Outcome = Omit<NonNullable<ExecutionSnapshot['outcome']>, 'status'>;
/** What a step needs of its operation's declaration, built-in or custom. */
type StepDeclaration = Pick<Operation<never, unknown>, 'incident'> & { readonly long?: boolean; dryRun(input: unknown, stepId: string): unknown };
type Step = (input: Record<string, unknown>, options?: StepOptions<unknown>) => Promise<unknown>;

export class RunbookRun {
  readonly execution: ExecutionSnapshot;
  readonly ctx: RunbookContext;
  /** The decision taken on the approval pending, if any. */
  decision: ApprovalDecision | undefined;
  /**
   * Runs recorded before signals to the incident went in the background waited for each
   * one; the workflow sets this from its patch marker.
   */
  tellsInBackground = true;
  /** The signals to the incident still on their way, one after the other (so in order). */
  told: Promise<void> = Promise.resolve();
  /**
   * Whether status-page steps follow the run's incident (reuse its status-page incident,
   * tell it of theirs); the workflow sets this from its patch marker, asked lazily.
   */
  statusPageFollowsIncident: () => boolean = () => false;
  private followsStatusPage: boolean | undefined;
  /** Whether the incident hears of the chat channel a step opened (its own patch marker, asked lazily). */
  chatFollowsIncident: () => boolean = () => false;
  private readonly compensations: Array<{ stepId: string; undo: () => Promise<unknown> }> = [];
  private readonly ids = new StepIds();
  private compensatingFor: string | undefined;

  constructor(
    readonly runbook: RunbookDefinition,
    readonly input: RunbookExecutionInput,
    data: unknown,
    readonly executionId: string,
    private readonly host: RunbookHost,
  ) {
    this.execution = {
      id: executionId,
      runbookId: runbook.id,
      runbookVersion: runbook.version ?? 1,
      title: runbook.title,
      status: ExecutionStatus.Running,
      dryRun: input.dryRun === true,
      incidentId: input.incidentId,
      launchedBy: input.launchedBy,
      trigger: input.trigger,
      input: data,
      startedAt: this.stamp(),
      steps: [],
      approvals: [],
      log: [],
    };
    this.ctx = this.context();
  }

  /** The time now, as recorded in the execution. */
  private stamp(): string {
    return new Date(this.host.now()).toISOString();
  }

  get dryRun(): boolean {
    return this.execution.dryRun;
  }

  /** Records a line in the run's log and tells the incident. */
  async note(message: string, details: Record<string, unknown> = {}): Promise<void> {
    this.execution.log.push({ at: this.stamp(), message });
    const entry: Omit<TimelineEntry, 'at'> = {
      kind: 'runbook',
      actor: `runbook:${this.runbook.id}`,
      summary: `${this.runbook.title}${this.dryRun ? ' (dry run)' : ''}: ${message}`,
      details: { executionId: this.executionId, ...details },
    };
    if (this.tellsInBackground) this.told = this.told.then(() => this.host.tellIncident(entry));
    else await this.host.tellIncident(entry);
  }

  /**
   * Takes a person's decision on the pending approval (validated by `refuseDecision`); with
   * several approvals required, an approval is counted until the last one decides.
   */
  decide(decision: DecideApprovalInput): ApprovalDecision {
    const taken = takeDecision(this.execution.pendingApproval, decision, this.stamp());
    if (taken.final) this.decision = taken.decision;
    return taken.decision;
  }

  /** Who may not approve this run: who launched it by hand, and the key whose alert or declaration started it. */
  private fourEyes(): { launchedBy?: string; triggeredBy?: string } {
    const { triggeredBy } = this.input as { triggeredBy?: unknown };
    return {
      ...(this.input.trigger === 'manual' ? { launchedBy: this.input.launchedBy } : {}),
      ...(typeof triggeredBy === 'string' && triggeredBy !== '' ? { triggeredBy } : {}),
    };
  }

  finish(status: ExecutionStatus, outcome: Outcome): void {
    this.execution.status = status;
    this.execution.outcome = { status, ...outcome };
    this.execution.endedAt = this.stamp();
    this.execution.currentStep = undefined;
  }

  /** Runs the runbook's code; its result is the run's. */
  async perform(): Promise<ExecutionSnapshot> {
    const result = await this.runbook.run(this.ctx, this.execution.input);
    await this.note(this.dryRun ? 'dry run planned' : 'completed');
    this.finish(ExecutionStatus.Completed, { result, undone: [] });
    return this.execution;
  }

  /** After the runbook's code threw: notes why, undoes what it did, records the outcome. */
  async fail(error: unknown, cancelled: boolean): Promise<void> {
    await this.host.nonCancellable(() => this.note(cancelled ? 'cancelled; undoing completed steps' : `failed: ${messageOf(error)}`));
    const undone = await this.compensate();
    await this.host.nonCancellable(async () =>
      this.finish(cancelled ? ExecutionStatus.Cancelled : ExecutionStatus.Failed, { error: messageOf(error), undone }),
    );
  }

  /** Undoes completed steps in reverse, each once; nothing interrupts this. */
  async compensate(): Promise<string[]> {
    const undone: string[] = [];
    if (this.compensations.length === 0) return undone;
    this.execution.status = ExecutionStatus.Compensating;
    await this.host.nonCancellable(async () => {
      for (const { stepId, undo } of compensationOrder(this.compensations)) {
        this.compensatingFor = stepId;
        try {
          await undo();
          undone.push(stepId);
          await this.note(`undid ${stepId}`);
        } catch (error) {
          await this.note(`could not undo ${stepId}: ${messageOf(error)}`);
        } finally {
          this.compensatingFor = undefined;
        }
      }
    });
    return undone;
  }

  async approve(request: ApprovalRequest): Promise<ApprovalDecision | null> {
    const approvers = request.approvers ?? approveRoles(this.runbook);
    const required = requiredApprovers(request);
    if (this.dryRun) {
      this.plan('approval', { prompt: request.prompt, approvers, timeout: request.timeout, ...(required > 1 ? { required } : {}) });
      const assumed = { approved: true, by: 'dry-run', at: this.stamp() };
      this.execution.approvals.push({ ...assumed, prompt: request.prompt });
      return assumed;
    }
    const timeoutMs = toMs(request.timeout);
    this.decision = undefined;
    const gate: ApprovalGate = pendingApproval(request, timeoutMs, this.host.now(), { approvers, ...this.fourEyes() });
    this.execution.pendingApproval = gate;
    this.execution.status = ExecutionStatus.WaitingApproval;
    const who = required > 1 ? `${required} of ${approvers.join(', ')}` : approvers.join(' or ');
    // The incident's chat channel shows Approve / Reject buttons on this entry.
    await this.note(`waiting for approval (${who}): ${request.prompt}`, { approval: 'requested' });
    const decided = await this.host.condition(() => this.decision !== undefined, timeoutMs);
    this.execution.pendingApproval = undefined;
    this.execution.status = ExecutionStatus.Running;
    // Set by `decide` while waiting: read it afresh, not as narrowed above.
    const made = this.decision as ApprovalDecision | undefined;
    if (!decided || !made) {
      await this.note(`approval timed out: ${request.prompt}`);
      return null;
    }
    this.execution.approvals.push({ ...made, prompt: request.prompt });
    await this.note(decisionMessage(made));
    return made;
  }

  /** Records a step that a dry run plans but does not perform (waits, sleeps, approvals). */
  private plan(name: string, args: unknown): void {
    const id = this.ids.next(name);
    this.execution.steps.push({ id, name, args, status: 'planned', startedAt: this.stamp() });
  }

  private context(): RunbookContext {
    const { host, input } = this;
    return {
      executionId: this.executionId,
      incidentId: input.incidentId,
      dryRun: this.dryRun,
      runbookVersion: this.execution.runbookVersion,
      // The built-in steps (each declared operation), then the custom ones the runbook uses.
      ...(this.steps() as unknown as RunbookSteps),
      incident: {
        get: async () => (input.incidentId ? host.readIncident(input.incidentId) : null),
        note: (text: string) => this.note(text),
      },
      approve: (request: ApprovalRequest) => this.approve(request),
      sleep: async (duration: Duration) => {
        if (this.dryRun) return this.plan('sleep', { duration });
        await host.sleep(toMs(duration));
      },
      waitFor: async (check, { timeout, every = '15 seconds' }) => {
        // A dry run plans the wait and assumes the condition comes true.
        if (this.dryRun) return (this.plan('waitFor', { timeout, every }), true);
        const until = host.now() + toMs(timeout);
        for (;;) {
          if (await check()) return true;
          const left = until - host.now();
          if (left <= 0) return false;
          await host.sleep(Math.min(toMs(every), left));
        }
      },
      log: (message: string) => this.note(message),
      patched: (changeId: string) => host.patched(changeId),
    };
  }

  /**
   * One step per declared operation, by capability: `ctx.chat.setTopic`; and one per
   * operation of each custom capability the runbook uses: `ctx.featureFlags.disable`.
   */
  private steps(): Record<string, Record<string, Step>> {
    const steps: Record<string, Record<string, Step>> = {};
    for (const capability of CAPABILITIES) {
      steps[capability] = {};
      for (const name of operationNames(capability)) {
        steps[capability][name] = this.step(`${capability}.${name}`, activityName(capability, name), declarationOf(capability, name));
      }
    }
    for (const capability of (this.runbook.uses ?? []).filter(isCustomCapability)) {
      steps[capability.name] = {};
      for (const [name, operation] of Object.entries(capability.operations)) {
        steps[capability.name][name] = this.step(`${capability.name}.${name}`, customActivityName(capability.name, name), operation);
      }
    }
    return steps;
  }

  /** The step `name` (`<capability>.<operation>`), performed by `activity`, as `declaration` says. */
  private step(name: string, activity: string, declaration: StepDeclaration): Step {
    return (async (given: Record<string, unknown>, options: StepOptions<unknown> = {}) => {
      const id = this.ids.next(name, options.id, this.compensatingFor);
      const args = declaration.incident ? { ...given, incidentId: given.incidentId ?? this.input.incidentId ?? this.executionId } : given;
      const record = startStep(id, name, args, this.dryRun, this.stamp(), this.compensatingFor);
      this.execution.steps.push(record);
      this.execution.currentStep = id;
      const activityInput = { ...args, idempotencyKey: stepIdempotencyKey(this.executionId, id) };
      let result: unknown;
      let reused = false;
      if (this.dryRun) {
        result = declaration.dryRun(activityInput, id);
      } else {
        try {
          const existing = name === 'statusPage.openIncident' ? await this.openStatusIncident() : undefined;
          if (existing) {
            // The incident has a status-page incident already: this step updates it instead.
            const { idempotencyKey, status, message, components } = activityInput as Record<string, unknown>;
            const update = { idempotencyKey, statusIncidentId: existing.statusIncidentId, status, message, components };
            await this.host.callActivity(activityName('statusPage', 'updateIncident'), update, stepActivityOptions(id, false, options));
            result = { id: existing.statusIncidentId, url: existing.url, created: false };
            reused = true;
          } else {
            result = await this.host.callActivity(activity, activityInput, stepActivityOptions(id, declaration.long === true, options));
          }
        } catch (error) {
          record.status = 'failed';
          record.error = messageOf(error);
          record.endedAt = this.stamp();
          throw error;
        }
        record.status = 'completed';
        await this.tellStatusPage(name, activityInput, result);
        await this.tellChannel(name, result);
      }
      record.result = result;
      record.endedAt = this.stamp();
      // A reused status-page incident is the incident's, not this step's to withdraw.
      if (options.compensate && !this.compensatingFor && !reused) {
        const undo = options.compensate;
        this.compensations.push({ stepId: id, undo: () => undo(result) });
      }
      return result;
    }) as Step;
  }

  /** Whether status-page steps follow the incident: asked once, at the first one with an incident. */
  private follows(): boolean {
    if (!this.input.incidentId) return false;
    this.followsStatusPage ??= this.statusPageFollowsIncident();
    return this.followsStatusPage;
  }

  /** The incident's open status-page incident, which an `openIncident` step updates instead of opening another. */
  private async openStatusIncident(): Promise<{ statusIncidentId: string; url?: string } | undefined> {
    if (!this.follows()) return undefined;
    const page = (await this.host.readIncident(this.input.incidentId!))?.statusPage;
    return page && page.status !== 'resolved' ? page : undefined;
  }

  /** Tells the incident of the status-page incident a step opened or updated, so the incident follows it. */
  private async tellStatusPage(name: string, input: unknown, result: unknown): Promise<void> {
    if ((name !== 'statusPage.openIncident' && name !== 'statusPage.updateIncident') || !this.follows()) return;
    const { status, statusIncidentId } = input as { status: string; statusIncidentId?: string };
    const opened = result as { id?: string; url?: string } | undefined;
    const id = name === 'statusPage.openIncident' ? opened?.id : statusIncidentId;
    if (!id) return;
    const entry: Omit<TimelineEntry, 'at'> = {
      kind: 'status-update',
      actor: `runbook:${this.runbook.id}`,
      summary: `${this.runbook.title}: status page ${status}`,
      details: { executionId: this.executionId, statusIncidentId: id },
    };
    const news = { statusPage: { statusIncidentId: id, ...(opened?.url && name === 'statusPage.openIncident' ? { url: opened.url } : {}), status } };
    if (this.tellsInBackground) this.told = this.told.then(() => this.host.tellIncident(entry, news));
    else await this.host.tellIncident(entry, news);
  }

  /** Tells the incident of the chat channel a step opened, so the incident keeps it current. */
  private async tellChannel(name: string, result: unknown): Promise<void> {
    if (name !== 'chat.createChannel' || !this.input.incidentId || !this.chatFollowsIncident()) return;
    const channel = result as { id?: string; name?: string } | undefined;
    if (!channel?.id) return;
    const entry: Omit<TimelineEntry, 'at'> = {
      kind: 'runbook',
      actor: `runbook:${this.runbook.id}`,
      summary: `${this.runbook.title}: chat channel ${channel.name ?? channel.id}`,
      details: { executionId: this.executionId, channelId: channel.id },
    };
    const news = { chat: { channelId: channel.id, ...(channel.name ? { name: channel.name } : {}) } };
    if (this.tellsInBackground) this.told = this.told.then(() => this.host.tellIncident(entry, news));
    else await this.host.tellIncident(entry, news);
  }
}
