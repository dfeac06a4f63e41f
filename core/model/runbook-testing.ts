/**
 * The runbook test kit: runs a runbook's `run` in-process, on the same engine the runbook
 * workflow uses, with stubbed steps and scripted approvals. No Temporal, no vendors, no
 * waiting: sleeps and waits pass on a clock of the kit's own.
 *
 * ```ts
 * const run = await testRunbook(rollback, {
 *   input: { service: 'checkout', scope: 'acme/checkout' },
 *   incident: { severity: 'SEV1', firingAlerts: 0 },
 *   steps: { 'deploy.findReleases': () => ({ current: { ref: 'v42', id: '42' }, previousGood: { ref: 'v41', id: '41' } }) },
 *   approvals: [{ approved: true, by: 'ops' }],
 * });
 * expect(run.steps.map((s) => s.name)).toEqual(['deploy.findReleases', 'approval', 'deploy.rollback']);
 * ```
 */
import type { z } from 'zod';
import { activityName } from './capabilities/activities';
import { dryRunResult } from './capabilities/dry-run';
import { CAPABILITIES, operationNames, type Capability, type OperationInput, type OperationName, type OperationOutput } from './capabilities/operations';
import type { Role } from '../schemas/config';
import type { ExecutionStatus, ExecutionSnapshot, StepRecord } from './execution';
import type { IncidentSnapshot } from './incident';
import { customActivityName, isCustomCapability, outputSizeProblem, type CustomCapability, type CustomOperation } from './capability';
import type { RunbookDefinition, Uses } from './runbook';
import { refuseDecision } from './runbook-engine/approvals';
import { describeIssues } from './validation-issues';
import { RunbookRun, type RunbookHost } from './runbook-engine/run';

/** Every step a runbook may take, by the name its records carry: `'chat.setTopic'`. */
export type StepName = { [C in Capability]: `${C}.${OperationName<C>}` }[Capability];
type Stub<C extends Capability, O extends OperationName<C>> = (
  input: OperationInput<C, O>,
) => OperationOutput<C, O> | Promise<OperationOutput<C, O>>;
type StubsOf<C extends Capability> = { [O in OperationName<C> as `${C}.${O}`]?: Stub<C, O> };
type Intersect<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;

/**
 * What a stubbed step returns for its input (the activity's input, with the idempotency key
 * and incident id filled in). A stub that throws fails the step, as a vendor would.
 */
export type StepStubs = Intersect<{ [C in Capability]: StubsOf<C> }[Capability]>;

/**
 * What a stubbed step of a custom capability returns: it gets what the implementation would
 * (the input after its schema, and the idempotency key) and returns what the output schema
 * accepts. The kit checks both, as the worker does.
 */
type CustomStub<Op extends CustomOperation> = (
  input: z.output<Op['input']>,
  context: { idempotencyKey: string },
) => z.input<Op['output']> | Promise<z.input<Op['output']>>;
type CustomStubsOf<C> = C extends CustomCapability
  ? { [O in keyof C['operations'] & string as `${C['name']}.${O}`]?: CustomStub<C['operations'][O]> }
  : never;
/** Stubs of the custom capabilities a runbook uses, by step name: `'featureFlags.disable'`. */
export type CustomStepStubs<U extends Uses | undefined> = [U] extends [Uses] ? Intersect<CustomStubsOf<Extract<U[number], CustomCapability>>> : unknown;

/** A scripted decision; `null` lets the approval time out. */
export type ScriptedApproval = { approved: boolean; by?: string; comment?: string; role?: Role } | null;

export interface TestRunbookOptions<S extends z.ZodType, U extends Uses | undefined = undefined> {
  /** The runbook's input, before its schema's defaults. */
  input: z.input<S>;
  /**
   * The incident the run belongs to, as `ctx.incident.get()` returns it: the fields given,
   * over an incident just triggered (SEV3, no roles, no alerts; {@link testIncident}); a
   * function is asked on every read. Omit for a run without an incident.
   */
  incident?: Partial<IncidentSnapshot> | (() => Partial<IncidentSnapshot>);
  /** Stubs by step name, custom steps' included; a step without one returns its dry-run placeholder. */
  steps?: StepStubs & CustomStepStubs<U>;
  /**
   * The decisions, in the order the runbook asks; past the last one, approvals time out. An
   * approval that needs several (`required`) takes as many approving decisions as it needs,
   * each by someone else, as the engine would.
   */
  approvals?: ScriptedApproval[];
  /** Run as a dry run (steps only planned). @default false */
  dryRun?: boolean;
  /** @default 'test-execution' */
  executionId?: string;
}

export interface RunbookTestRun {
  /** Every step as the execution records it (approvals, waits and sleeps appear in dry runs only). */
  steps: StepRecord[];
  /** The steps a dry run of the same input and incident plans. */
  plan: StepRecord[];
  /** What `run` returned (undefined when it failed). */
  result: unknown;
  status: ExecutionStatus;
  /** Why it failed, when it did. */
  error?: string;
  /** Step ids whose compensations ran, in order. */
  undone: string[];
  /** The run's log lines. */
  log: string[];
  /** The whole execution, as the API would show it. */
  execution: ExecutionSnapshot;
}

const STEP_BY_ACTIVITY = new Map<string, StepName>(
  CAPABILITIES.flatMap((capability) =>
    operationNames(capability).map((name) => [activityName(capability, name), `${capability}.${name}` as StepName] as const),
  ),
);

/**
 * Runs `runbook` in-process with `options`, and its dry run for the plan. Rejects only for
 * the test's own mistakes (an input the schema refuses, a decision the approval's roles may
 * not take); a runbook that fails resolves with `status: 'failed'`.
 */
export async function testRunbook<S extends z.ZodType, U extends Uses | undefined = undefined>(
  runbook: RunbookDefinition<S, U>,
  options: TestRunbookOptions<S, U>,
): Promise<RunbookTestRun> {
  const general = runbook as unknown as RunbookDefinition<S>;
  const given = options as TestRunbookOptions<S>;
  const plan = options.dryRun ? undefined : (await runOnce(general, { ...given, dryRun: true })).steps;
  const run = await runOnce(general, given);
  checkPlaceholders(general, plan ?? run.steps);
  const outcome = run.outcome;
  return {
    steps: run.steps,
    plan: plan ?? run.steps,
    result: outcome?.result,
    status: run.status,
    error: outcome?.error,
    undone: outcome?.undone ?? [],
    log: run.log.map(({ message }) => message),
    execution: run,
  };
}

async function runOnce<S extends z.ZodType>(runbook: RunbookDefinition<S>, options: TestRunbookOptions<S>): Promise<ExecutionSnapshot> {
  const incident = options.incident;
  const incidentId = incident ? (snapshotOf(incident).id ?? 'test-incident') : undefined;
  const data = runbook.input.parse(options.input);
  const launch = { runbookId: runbook.id, input: options.input, incidentId, dryRun: options.dryRun, launchedBy: 'test', trigger: 'manual' as const };
  const approvals = [...(options.approvals ?? [])];
  let clock = Date.parse('2026-01-01T00:00:00Z');
  // A scripted decision the approval refuses is the test's mistake, not the runbook's failure.
  let scriptError: Error | undefined;
  const custom = customOperations(runbook);
  const host: RunbookHost = {
    callActivity: async (activity, input) => {
      const own = custom.get(activity);
      if (own) return callCustom(own, input, options.steps as Record<string, CustomStub<CustomOperation>> | undefined);
      const name = STEP_BY_ACTIVITY.get(activity);
      const stub = name ? (options.steps as Record<string, ((input: unknown) => unknown) | undefined> | undefined)?.[name] : undefined;
      if (stub) return stub(input);
      const [capability, operation] = (name ?? activity).split('.') as [Capability, OperationName<Capability>];
      return dryRunResult(capability, operation, input as never, (input as { idempotencyKey: string }).idempotencyKey);
    },
    readIncident: async (id) => (incident ? testIncident({ id, ...snapshotOf(incident) }) : null),
    tellIncident: async () => undefined,
    sleep: async (ms) => {
      clock += ms;
    },
    // As Temporal's condition: true once `done`, false only when the wait times out. Waiting
    // on an approval, each scripted decision is given in turn until the gate settles.
    condition: async (done, timeoutMs) => {
      while (!done()) {
        const pending = run.execution.pendingApproval;
        const next = pending ? approvals.shift() : undefined;
        if (!pending || !next) {
          clock += timeoutMs;
          return done();
        }
        const role = next.role ?? pending.approvers[0] ?? 'responder';
        const actor = next.by ?? 'tester';
        const refused = refuseDecision(pending, run.decision, { role, approve: next.approved, actor });
        if (refused) throw (scriptError = new Error(`testRunbook: scripted approval refused: ${refused.message}`));
        run.decide({ approve: next.approved, comment: next.comment, actor, role });
      }
      return true;
    },
    nonCancellable: (fn) => fn(),
    patched: () => true,
    now: () => clock,
  };
  const run = new RunbookRun(runbook as RunbookDefinition, launch, data, options.executionId ?? 'test-execution', host);
  await run.note('started by test');
  try {
    await run.perform();
  } catch (error) {
    await run.fail(error, false);
  }
  await run.told;
  if (scriptError) throw scriptError;
  return run.execution;
}

interface CustomEntry {
  step: string;
  operation: CustomOperation;
}

/** The custom operations `runbook` uses, by activity name. */
function customOperations(runbook: RunbookDefinition): Map<string, CustomEntry> {
  const operations = new Map<string, CustomEntry>();
  for (const capability of (runbook.uses ?? []).filter(isCustomCapability)) {
    for (const [name, operation] of Object.entries(capability.operations)) {
      operations.set(customActivityName(capability.name, name), { step: `${capability.name}.${name}`, operation });
    }
  }
  return operations;
}

/**
 * A custom step, as the worker runs it: its input checked by its schema (a bad one fails the
 * step), then its stub or else its dry-run placeholder, and what that returns checked by the
 * output schema (a stub returning what the implementation may not fails the test).
 */
async function callCustom({ step, operation }: CustomEntry, given: unknown, stubs: Record<string, CustomStub<CustomOperation> | undefined> | undefined): Promise<unknown> {
  const { idempotencyKey, ...input } = given as { idempotencyKey: string } & Record<string, unknown>;
  const parsed = operation.input.safeParse(input);
  if (!parsed.success) throw new Error(`${step}: invalid input: ${describeIssues(parsed.error.issues, { whole: '(input)' })}`);
  const stub = stubs?.[step];
  const output = stub ? await stub(parsed.data, { idempotencyKey }) : operation.dryRun(input, idempotencyKey);
  const checked = operation.output.safeParse(output);
  if (!checked.success) {
    throw new Error(`testRunbook: ${stub ? 'the stub of' : 'the dry-run placeholder of'} ${step} returned what its output schema refuses: ${describeIssues(checked.error.issues, { whole: '(output)' })}`);
  }
  const tooLarge = outputSizeProblem(checked.data);
  if (tooLarge) throw new Error(`${step}: ${tooLarge}`);
  return checked.data;
}

/** Every custom step a dry run planned returned what its output schema accepts: a placeholder that does not is the declaration's bug. */
function checkPlaceholders(runbook: RunbookDefinition, plan: readonly StepRecord[]): void {
  const byStep = new Map([...customOperations(runbook).values()].map((entry) => [entry.step, entry.operation]));
  for (const step of plan) {
    const checked = byStep.get(step.name)?.output.safeParse(step.result);
    if (checked && !checked.success) throw new Error(`testRunbook: the dry-run placeholder of ${step.name} breaks its output schema: ${describeIssues(checked.error.issues, { whole: '(output)' })}`);
  }
}

function snapshotOf(incident: Partial<IncidentSnapshot> | (() => Partial<IncidentSnapshot>)): Partial<IncidentSnapshot> {
  return typeof incident === 'function' ? incident() : incident;
}

/** An incident just triggered (SEV3, nobody in a role, no alerts yet), with `fields` over it. */
export function testIncident(fields: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  return {
    id: 'test-incident',
    title: 'Test incident',
    status: 'triggered',
    severity: 'SEV3',
    openedAt: '2026-01-01T00:00:00.000Z',
    openedBy: 'test',
    metrics: {},
    roles: { investigators: [] },
    alertCount: 0,
    firingAlerts: 0,
    alerts: [],
    actionItems: [],
    escalation: { state: 'idle', level: 0, round: 0, pages: 0 },
    runbooks: [],
    timeline: [],
    continuedAsNew: 0,
    ...fields,
  };
}
