/**
 * The runbook authoring API. A runbook is one file, `runbooks/<id>.runbook.ts`, whose
 * default export is `defineRunbook({...})`. Its `run` function is deterministic workflow
 * code: every side effect goes through a step on `ctx`, which Temporal retries, keys for
 * idempotency, records, and (in a dry run) only plans.
 */
import type { z } from 'zod';
import type { Alert } from './alert';
import type { Capability, OperationInput, OperationName, OperationOutput } from './capabilities/operations';
import type { CustomCapability, CustomOperation } from './capability';
import type { IncidentSnapshot } from './incident';
import type { Role } from '../schemas/config';
import type { ServiceTarget } from '../schemas/services-config';
import type { LabelMatcher } from './label-matchers';

/** A duration: milliseconds, or a string such as `'30 seconds'` or `'10m'`. */
export type Duration = number | string;

export interface RetryOptions {
  /** @default 5 */
  maximumAttempts?: number;
  /** @default '1 second' */
  initialInterval?: Duration;
  /** @default '30 seconds' */
  maximumInterval?: Duration;
  /** @default 2 */
  backoffCoefficient?: number;
}

export interface StepOptions<R> {
  /**
   * The step's id within the run: its idempotency key is `<execution id>/<id>`. Give one
   * when the same call appears in a loop with different meaning.
   * @default `<capability>.<method>` numbered by occurrence, e.g. `chat.postMessage#2`
   */
  id?: string;
  /** How long one attempt may take. @default '30 seconds' ('15 minutes' for deploy and scaling) */
  timeout?: Duration;
  retry?: RetryOptions;
  /**
   * Undoes this step. If the runbook later fails or is cancelled, the compensations of
   * completed steps run in reverse order, once each, and cannot be interrupted.
   */
  compensate?: (result: R) => Promise<unknown>;
}

/**
 * What a runbook passes to step `O` of capability `C`: the operation's input without the
 * idempotency key, and with `incidentId` optional, both filled in by the `ctx`.
 */
export type StepInput<C extends Capability, O extends OperationName<C>> = IncidentOptional<Omit<OperationInput<C, O>, 'idempotencyKey'>>;
type IncidentOptional<I> = 'incidentId' extends keyof I ? Omit<I, 'incidentId'> & { incidentId?: string } : I;
export type StepResult<C extends Capability, O extends OperationName<C>> = OperationOutput<C, O>;

/**
 * A step: one activity, with the idempotency key filled in, and the incident id (the
 * run's incident, or without one the execution id) where the operation names one.
 */
export type Step<C extends Capability, O extends OperationName<C>> = (
  input: StepInput<C, O>,
  options?: StepOptions<StepResult<C, O>>,
) => Promise<StepResult<C, O>>;

/** The steps a runbook may take, one per declared operation: `ctx.chat.setTopic(...)`. */
export type RunbookSteps = { readonly [C in Capability]: { readonly [O in OperationName<C>]: Step<C, O> } };

export interface ApprovalRequest {
  /** What the approver is asked, e.g. "Roll checkout back to v41?" */
  prompt: string;
  /** API roles that may decide. @default the runbook's `permissions.approve` */
  approvers?: Role[];
  /**
   * How many distinct people must approve (a rejection by any one rejects). Nobody may
   * approve a run they launched, nor one the key they decide with triggered. @default 1
   */
  required?: number;
  /** How long to wait for a decision; on timeout `approve` returns `null`. */
  timeout: Duration;
}

export interface ApprovalDecision {
  approved: boolean;
  /** The API key name that decided (the last approver, when several were required). */
  by: string;
  /** Everyone who approved, in order, when the request required more than one. */
  approvedBy?: string[];
  /** Approvals still needed: set on an approval counted while others are awaited. */
  outstanding?: number;
  comment?: string;
  at: string;
}

/** What a step of a custom operation takes and returns, as a runbook calls it. */
export type CustomStep<Op extends CustomOperation> = (
  input: z.input<Op['input']>,
  options?: StepOptions<z.output<Op['output']>>,
) => Promise<z.output<Op['output']>>;

/** The steps of a custom capability: `ctx.featureFlags.disable(...)`. */
export type CustomSteps<C extends CustomCapability> = { readonly [O in keyof C['operations']]: CustomStep<C['operations'][O]> };

/**
 * What a runbook lists in `uses`: a built-in capability by name (`'paging'`), or a custom
 * one's declaration (`runbooks/capabilities/`).
 */
export type UsedCapability = Capability | CustomCapability;
export type Uses = readonly UsedCapability[];

/**
 * The steps of a runbook that `uses` these capabilities: exactly those, built-in and custom.
 * Without `uses`, every built-in capability.
 */
export type StepsOf<U extends Uses | undefined> = [U] extends [Uses]
  ? { readonly [C in Extract<U[number], Capability>]: RunbookSteps[C] } & {
      readonly [N in Extract<U[number], CustomCapability>['name']]: CustomSteps<Extract<U[number], { name: N }>>;
    }
  : RunbookSteps;

/** The `ctx` of a runbook that `uses` these capabilities (see {@link StepsOf}). */
export type RunbookContextOf<U extends Uses | undefined> = Omit<RunbookContext, Capability> & StepsOf<U>;

/** Everything a runbook does, it does through this. */
export interface RunbookContext extends RunbookSteps {
  readonly executionId: string;
  /** The incident this run belongs to, if any; its timeline receives the run's events. */
  readonly incidentId?: string;
  /** True in a dry run: steps are recorded in the plan and return placeholders. */
  readonly dryRun: boolean;
  readonly runbookVersion: number;

  incident: {
    /** The incident as it is now (null without one). Reads Firebreak only, so it runs in dry runs too. */
    get(): Promise<IncidentSnapshot | null>;
    /** Adds a note to the incident's timeline (and the run's log). */
    note(text: string): Promise<void>;
  };

  /** Waits durably for a person's decision; `null` when the timeout passes first. */
  approve(request: ApprovalRequest): Promise<ApprovalDecision | null>;
  /** A durable timer. */
  sleep(duration: Duration): Promise<void>;
  /**
   * Checks `check` every `every` until it returns true (→ true) or `timeout` passes
   * (→ false), e.g. "until the alert resolves, at most 10 minutes".
   */
  waitFor(check: () => Promise<boolean> | boolean, options: { timeout: Duration; every?: Duration }): Promise<boolean>;
  /** Records a line in the run's log (and on the incident's timeline). */
  log(message: string): Promise<void>;
  /**
   * Versioning for runs in flight: `if (ctx.patched('verify-twice')) {...}` takes the new
   * path in new runs and the old one in runs recorded before the change.
   */
  patched(changeId: string): boolean;
}

/** A runbook started automatically when an incident receives a matching alert. */
export interface RunbookTrigger {
  /** Every label named must match (`source` matches the alert source). */
  match: Record<string, LabelMatcher>;
  /** Start on every matching alert, not once per incident. @default false */
  everyAlert?: boolean;
}

export interface RunbookGuardrails<I> {
  /** What the runbook acts on, e.g. the service: guardrails are per runbook and target. */
  target: (input: I) => string;
  /** A second run for a target while one runs joins it instead of running. @default true */
  singleFlight?: boolean;
  /**
   * At most `max` runs that act per target in `windowMinutes`, kept durably; past it the
   * runbook pages a human instead of acting.
   */
  budget?: { max: number; windowMinutes: number };
  /**
   * At most `max` runs that act in `windowMinutes` across every target of this runbook, so
   * an alert storm over many services cannot act everywhere at once; past it, as `budget`.
   */
  globalBudget?: { max: number; windowMinutes: number };
}

/** Who may launch a runbook's runs, and who may decide its approvals. */
export interface RunbookPermissions {
  /** @default responder and up; commander and up for a destructive runbook */
  launch?: Role[];
  /** The roles `ctx.approve` asks when a request names none. @default responder and up */
  approve?: Role[];
}

/** What a runbook started from an alert is given besides the alert. */
export interface AlertLaunchContext {
  /**
   * The alert's service as `runbooks/services.ts` describes it: what the run may touch. A
   * destructive runbook is not started for a service missing there, so it always has one.
   */
  service?: ServiceTarget;
  /**
   * Whether the run must wait for a person's approval before it acts: true for a
   * destructive runbook unless the alert's route says `autoRemediate: true`.
   */
  requireApproval: boolean;
}

export interface RunbookDefinition<S extends z.ZodType = z.ZodType, U extends Uses | undefined = Uses | undefined> {
  /** Stable id, also the file name: `runbooks/<id>.runbook.ts`. */
  id: string;
  title: string;
  description: string;
  /** Bump when behaviour changes; each execution records the version it ran. @default 1 */
  version?: number;
  /** The input schema; the catalog exports it as JSON Schema and the API validates with it. */
  input: S;
  /**
   * Builds the input from an alert, for triggers and routes that start this runbook. A
   * destructive runbook takes what it acts on from `context.service`, never from the alert's
   * labels, and honours `context.requireApproval`. Throwing refuses the start (the incident's
   * timeline gives the message).
   */
  fromAlert?: (alert: Alert, context: AlertLaunchContext) => z.input<S>;
  triggers?: RunbookTrigger[];
  guardrails?: RunbookGuardrails<z.infer<S>>;
  /**
   * The runbook changes running systems (a rollback, a scale-out, a restart): launching it
   * takes a commander by default, and an alert starts it only for a service listed in
   * `runbooks/services.ts`, waiting for approval unless its route opts out. @default false
   */
  destructive?: boolean;
  permissions?: RunbookPermissions;
  /**
   * The capabilities `run` calls: built-in ones by name, custom ones by their declaration
   * (`uses: ['paging', featureFlags]`). `ctx` then holds exactly these, and GET /v1/runbooks
   * lists their operations as the ones this runbook may call. @default every built-in capability
   */
  uses?: U;
  run: (ctx: RunbookContextOf<U>, input: z.infer<S>) => Promise<unknown>;
}

/** Declares a runbook; the default export of `runbooks/<id>.runbook.ts`. */
export function defineRunbook<S extends z.ZodType, const U extends Uses | undefined = undefined>(definition: RunbookDefinition<S, U>): RunbookDefinition<S, U> {
  return definition;
}
