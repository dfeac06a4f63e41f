/**
 * Custom capabilities on the worker. A `runbooks/capabilities/<file>.worker.ts` exports
 * {@link implementCapability}: the settings its capability reads from the environment, and
 * how to build its operations from them. The worker turns each operation into an activity
 * (`<capability><Operation>`) that does what a built-in one does at its boundary: validates
 * the input (a bad one is not retried), hands the implementation the step's idempotency key,
 * heartbeats for long operations, checks the output against its schema, and keeps every
 * secret of the capability's settings out of failure messages.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { customActivityName, type CustomCapability, type CustomOperation, outputSizeProblem } from '../core/model/capability';
import { CapabilityFailure, IdempotencyKeySchema } from '../core/schemas/capabilities/common';
import {
  CapabilityCatalogError,
  type CapabilityFile,
  type DeclaredCapability,
  loadCapabilityDeclarations,
} from '../core/schemas/custom-capabilities';
import { Secret } from '../core/schemas/integrations-config';
import { describeIssues } from '../core/model/validation-issues';
import { describeNetworkError, redact } from './http-failures';
import { parseStepInput } from './step-input';

/** What an implementation is handed beside its input, for one attempt of one step. */
export interface OperationContext<F extends string = string> {
  /**
   * `<execution id>/<step id>`: the same on every attempt of the step. Hand it to the vendor
   * (a dedup key, a client token, a marker to search for) so that a retry acts once.
   */
  readonly idempotencyKey: string;
  /** This attempt, from 1. */
  readonly attempt: number;
  /** Aborted when the step is cancelled: pass it to `fetch` and the vendor's client. */
  readonly signal: AbortSignal;
  /** Records progress (a long operation's worker heartbeats for it anyway). */
  heartbeat(details?: unknown): void;
  /**
   * A failure to throw: one of the operation's own `failures`, or a {@link CapabilityFailure}.
   * Not retried unless `retry` (then after `retryAfterMs`, when given).
   */
  failure(type: F | CapabilityFailure, message: string, options?: { retry?: boolean; retryAfterMs?: number }): ApplicationFailure;
}

type FailuresOf<Op> = Op extends CustomOperation<z.ZodType, z.ZodType, infer F> ? F : never;

/**
 * One function per operation: it takes the input after its schema (defaults applied) and
 * returns what the output schema accepts.
 */
export type Implementation<C extends CustomCapability> = {
  readonly [O in keyof C['operations']]: (
    input: z.output<C['operations'][O]['input']>,
    context: OperationContext<FailuresOf<C['operations'][O]>>,
  ) => Promise<z.input<C['operations'][O]['output']>>;
};

const IMPLEMENTATION = 'firebreak.capability-implementation';

export interface CapabilityImplementation<C extends CustomCapability = CustomCapability, S extends z.ZodObject = z.ZodObject> {
  readonly kind: typeof IMPLEMENTATION;
  readonly capability: C;
  readonly settings: S;
  readonly create: (settings: z.output<S>) => Implementation<C>;
}

/**
 * Implements `capability`; the default export of `runbooks/capabilities/<file>.worker.ts`.
 * `settings` is a z.object of environment variables (UPPER_SNAKE_CASE); wrap credentials in
 * {@link secretSetting}. The worker validates them at start (a mistake stops it, naming the
 * variable, never its value) and calls `create` once with what they parse to.
 */
export function implementCapability<C extends CustomCapability, S extends z.ZodObject>(
  capability: C,
  // NoInfer: C comes from `capability` alone, so the literals the operations return are checked, not widened.
  implementation: { settings: S; create: (settings: z.output<S>) => NoInfer<Implementation<C>> },
): CapabilityImplementation<C, S> {
  return { kind: IMPLEMENTATION, capability, settings: implementation.settings, create: implementation.create };
}

/**
 * A credential setting: the implementation gets a {@link Secret} (it prints as `[secret]`;
 * `reveal()` gives the value to the vendor), and its value is scrubbed from every failure.
 */
export function secretSetting() {
  return z
    .string()
    .trim()
    .min(1)
    .transform((value) => new Secret(value));
}

/** The activities of the custom capabilities, and where each operation is declared. */
export interface CustomActivities {
  activities: Record<string, (input: unknown) => Promise<unknown>>;
  /** Activity name → `<declaration file>: operations.<name>`, for messages. */
  declaredAt: ReadonlyMap<string, string>;
  /** The checked declarations, by capability name. */
  declared: ReadonlyMap<string, DeclaredCapability>;
}

const SETTING_NAME = /^[A-Z][A-Z0-9_]{0,99}$/;

/**
 * Loads every capability `files` lists, with its settings read from `env`, and builds its
 * activities. Throws {@link CapabilityCatalogError} listing every mistake: a declaration's
 * (core/schemas/custom-capabilities.ts), an implementation missing or not matching its
 * declaration, a setting missing or invalid.
 */
export function loadCustomCapabilities(files: readonly CapabilityFile[], env: Record<string, string | undefined>): CustomActivities {
  const declared = loadCapabilityDeclarations(files);
  const problems: string[] = [];
  const activities: CustomActivities['activities'] = {};
  const declaredAt = new Map<string, string>();
  for (const { file, capability } of declared.values()) {
    const built = implement(file, capability, env, problems);
    if (!built) continue;
    for (const [name, operation] of Object.entries(capability.operations)) {
      const activity = customActivityName(capability.name, name);
      activities[activity] = customActivity(activity, operation, built.perform[name], built.secrets);
      declaredAt.set(activity, `${file.file}: operations.${name}`);
    }
  }
  if (problems.length > 0) throw new CapabilityCatalogError(problems);
  return { activities, declaredAt, declared };
}

/**
 * Adds the custom activities to the built-in ones; an activity name taken already stops
 * start-up, naming the operation that would take it.
 */
export function withCustomActivities<A extends object>(builtIn: A, custom: CustomActivities): A & CustomActivities['activities'] {
  const problems = Object.keys(custom.activities)
    .filter((name) => name in builtIn)
    .map((name) => `${custom.declaredAt.get(name)}: its activity "${name}" is the name of a built-in activity; rename the capability or the operation`);
  if (problems.length > 0) throw new CapabilityCatalogError(problems);
  return { ...builtIn, ...custom.activities };
}

type Perform = (input: unknown, context: OperationContext) => Promise<unknown>;

/** The implementation of one capability, built from its settings, or undefined after adding its mistakes to `problems`. */
function implement(
  file: CapabilityFile,
  capability: CustomCapability,
  env: Record<string, string | undefined>,
  problems: string[],
): { perform: Record<string, Perform>; secrets: string[] } | undefined {
  const at = file.implementationFile;
  const exported = file.implementation().default as Partial<CapabilityImplementation> | undefined;
  if (!exported || exported.kind !== IMPLEMENTATION) {
    problems.push(`${at}: the default export must be implementCapability(declaration, {...})`);
    return undefined;
  }
  if (exported.capability?.name !== capability.name) {
    problems.push(`${at}: implements "${String(exported.capability?.name)}", but ${file.file} declares "${capability.name}"`);
    return undefined;
  }
  if (!(exported.settings instanceof z.ZodObject)) {
    problems.push(`${at}: settings: must be a z.object({...}) of environment variables`);
    return undefined;
  }
  const names = Object.keys(exported.settings.shape);
  const badNames = names.filter((name) => !SETTING_NAME.test(name));
  for (const name of badNames) problems.push(`${at}: settings.${name}: an environment variable's name is UPPER_SNAKE_CASE`);
  if (badNames.length > 0) return undefined;
  // Blank is unset, as for every other setting.
  const given = Object.fromEntries(names.map((name) => [name, env[name]?.trim() ? env[name] : undefined]));
  const parsed = exported.settings.safeParse(given);
  if (!parsed.success) {
    // The issue's message only: a value, a secret's above all, is never repeated.
    for (const issue of parsed.error.issues) problems.push(`${at}: settings.${issue.path.join('.') || '(settings)'}: ${issue.message}`);
    return undefined;
  }
  const secrets = Object.values(parsed.data as Record<string, unknown>)
    .filter((value): value is Secret => value instanceof Secret)
    .map((secret) => secret.reveal());
  let perform: Record<string, Perform>;
  try {
    perform = exported.create!(parsed.data) as unknown as Record<string, Perform>;
  } catch (error) {
    problems.push(`${at}: create: ${redact(error instanceof Error ? error.message : String(error), secrets)}`);
    return undefined;
  }
  const before = problems.length;
  for (const name of Object.keys(capability.operations)) {
    if (typeof perform?.[name] !== 'function') problems.push(`${at}: create: returns no function for operation "${name}"`);
  }
  for (const name of Object.keys(perform ?? {})) {
    if (!(name in capability.operations)) problems.push(`${at}: create: "${name}" is not an operation of ${file.file}`);
  }
  return problems.length === before ? { perform, secrets } : undefined;
}

/** While a long operation runs, its worker says it is alive; a dead worker's step is retried elsewhere. */
const HEARTBEAT_EVERY_MS = 20_000;

/** The activity of one custom operation. */
function customActivity(activity: string, operation: CustomOperation, perform: Perform, secrets: readonly string[]) {
  return async (given: unknown): Promise<unknown> => {
    const { idempotencyKey, ...input } = (typeof given === 'object' && given !== null ? given : {}) as Record<string, unknown>;
    const key = parseStepInput(IdempotencyKeySchema, idempotencyKey, `${activity}: idempotencyKey`);
    const command = parseStepInput(operation.input, input, activity);
    const context = Context.current();
    const beat = operation.long ? setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS) : undefined;
    let output: unknown;
    try {
      output = await perform(command, {
        idempotencyKey: key,
        attempt: context.info.attempt,
        signal: context.cancellationSignal,
        heartbeat: (details) => context.heartbeat(details),
        failure: (type, message, options = {}) =>
          ApplicationFailure.create({
            message: `${activity}: ${message}`,
            type,
            nonRetryable: options.retry !== true,
            ...(options.retry && options.retryAfterMs !== undefined ? { nextRetryDelay: Math.max(1, options.retryAfterMs) } : {}),
          }),
      });
    } catch (error) {
      // A cancelled step ends as cancelled, whatever the implementation threw on the way.
      if (context.cancellationSignal.aborted && context.cancellationSignal.reason instanceof Error) throw context.cancellationSignal.reason;
      throw scrubbed(activity, error, secrets);
    } finally {
      clearInterval(beat);
    }
    const checked = operation.output.safeParse(output);
    if (!checked.success) {
      throw ApplicationFailure.create({
        message: `${activity}: the implementation returned what its output schema refuses: ${describeIssues(checked.error.issues, { whole: '(output)' })}`,
        type: InvalidStepOutput,
        nonRetryable: true,
      });
    }
    const tooLarge = outputSizeProblem(checked.data);
    if (tooLarge) throw ApplicationFailure.create({ message: `${activity}: ${tooLarge}`, type: InvalidStepOutput, nonRetryable: true });
    return checked.data;
  };
}

/** An implementation returned what its operation's output schema refuses, or more than a step keeps: a bug in it, so not retried. */
export const InvalidStepOutput = 'InvalidStepOutput';

/**
 * The failure Temporal records for what an implementation threw, with the capability's
 * secrets scrubbed. A failure it made keeps its type and retry; anything else is retried,
 * as a vendor that was not reached (`VendorUnavailable`) when it looks like one.
 */
function scrubbed(activity: string, error: unknown, secrets: readonly string[]): ApplicationFailure {
  const clean = (text: string) => redact(text, secrets);
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: clean(error.message),
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable === true,
      ...(error.nextRetryDelay !== undefined && error.nextRetryDelay !== null ? { nextRetryDelay: error.nextRetryDelay } : {}),
      details: error.details?.map((detail) => JSON.parse(clean(JSON.stringify(detail ?? null))) as unknown),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const network = describeNetworkError(error);
  const unreached = network === 'timed out' || /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${message} ${network}`);
  return ApplicationFailure.create({
    message: clean(`${activity}: ${unreached ? `no answer (${network})` : message}`),
    type: unreached ? CapabilityFailure.Unavailable : error instanceof Error ? error.name : 'Error',
  });
}
