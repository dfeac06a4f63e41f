/**
 * The capability authoring API: steps an operator adds without changing Firebreak. A custom
 * capability is two files in `runbooks/capabilities/`: `<file>.ts` declares it with
 * {@link defineCapability} (what each operation takes, returns and plans in a dry run), and
 * `<file>.worker.ts` implements it (`implementCapability`, activities/custom-capabilities.ts);
 * `runbooks/capabilities/index.ts` lists the pair. A runbook names the capabilities it calls
 * in `uses` and calls them through `ctx` like built-in steps.
 *
 * A declaration is workflow code (the runbook that uses it imports it): zod only as types
 * here, and no I/O in a declaration file. The implementation is worker code, never imported
 * by a runbook (lint enforces both; see RUNBOOKS.md).
 */
import type { z } from 'zod';
import { CAPABILITIES } from './capabilities/operations';
import { utf8Bytes } from './text';

/** One operation of a custom capability. */
export interface CustomOperation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, F extends string = string> {
  /** What the operation does, in a sentence: GET /v1/runbooks lists it with the runbooks that may call it. */
  readonly description: string;
  /**
   * What a runbook passes: a zod object that JSON can carry (no Date, Map, bigint, functions or
   * transforms). Not the idempotency key: the implementation receives that beside the input.
   */
  readonly input: I;
  /** What the step returns: JSON-safe as the input, and not `undefined` alone (return an object). */
  readonly output: O;
  /**
   * The operation waits for something to settle: an attempt may take 15 minutes (not 30
   * seconds), and the worker heartbeats for it.
   */
  readonly long?: boolean;
  /**
   * Failure types the implementation raises beyond the ones every vendor call may
   * (`CapabilityFailure`), in PascalCase: `['FlagNotFound']`. Runbooks may branch on them.
   */
  readonly failures?: readonly F[];
  /**
   * What the step returns in a dry run, when nothing is called: a placeholder recognisable as
   * such (`'dry-run'`, `changed: false`), built from the step's input.
   */
  dryRun(input: z.input<I>, stepId: string): z.output<O>;
}

/** The operations of a capability, by name. */
export type CustomOperations = Readonly<Record<string, CustomOperation>>;

/** Marks what {@link defineCapability} returns, so start-up can tell a declaration from anything else. */
export const CUSTOM_CAPABILITY = 'firebreak.custom-capability';

export interface CustomCapability<N extends string = string, Ops extends CustomOperations = CustomOperations> {
  readonly kind: typeof CUSTOM_CAPABILITY;
  /** How runbooks reach it, `ctx.<name>`, and the prefix of its activities' names: camelCase. */
  readonly name: N;
  readonly operations: Ops;
}

/**
 * Declares an operation: its input and output schemas, whether it runs long, its own failure
 * types; then, typed from both schemas, its dry-run placeholder:
 * `defineOperation({ description, input, output }).dryRun((input) => ({ ... }))`.
 */
export function defineOperation<I extends z.ZodType, O extends z.ZodType, const F extends string = never>(
  operation: Omit<CustomOperation<I, O, F>, 'dryRun'>,
): { dryRun(placeholder: (input: z.input<I>, stepId: string) => z.output<O>): CustomOperation<I, O, F> } {
  // Two calls, so that the schemas are known before the placeholder is checked against them.
  return { dryRun: (placeholder) => ({ ...operation, dryRun: placeholder }) };
}

/**
 * Declares a custom capability; the default export of `runbooks/capabilities/<file>.ts`.
 * Operation names are camelCase; each is registered as the activity `<name><Operation>`
 * (`featureFlags` + `disable` → `featureFlagsDisable`), recorded in every history that calls
 * it: never rename a capability or an operation that has run.
 */
export function defineCapability<const N extends string, Ops extends CustomOperations>(declaration: { name: N; operations: Ops }): CustomCapability<N, Ops> {
  return { kind: CUSTOM_CAPABILITY, name: declaration.name, operations: declaration.operations };
}

export function isCustomCapability(value: unknown): value is CustomCapability {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === CUSTOM_CAPABILITY;
}

/** The activity that performs operation `operation` of custom capability `capability`. */
export function customActivityName(capability: string, operation: string): string {
  return `${capability}${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
}

/**
 * The most a custom step may return, as JSON: 64 KiB. Its result is kept in the run's history
 * and shown by the API, so a step that fetched more returns what the runbook needs of it.
 */
export const CUSTOM_OUTPUT_MAX_BYTES = 65_536;

/** Why a custom step's output is too large to keep, or undefined. */
export function outputSizeProblem(output: unknown): string | undefined {
  const bytes = utf8Bytes(JSON.stringify(output) ?? '');
  return bytes > CUSTOM_OUTPUT_MAX_BYTES ? `the output is ${bytes} bytes as JSON; a step returns at most ${CUSTOM_OUTPUT_MAX_BYTES}` : undefined;
}

/** A capability's name: camelCase, at most 40 characters. */
export const CAPABILITY_NAME = /^[a-z][a-zA-Z0-9]{0,39}$/;
/** An operation's name: camelCase, at most 60 characters. */
export const OPERATION_NAME = /^[a-z][a-zA-Z0-9]{0,59}$/;
/** A failure type of an operation's own: PascalCase, at most 60 characters. */
export const FAILURE_TYPE = /^[A-Z][a-zA-Z0-9]{0,59}$/;

/** What `ctx` holds besides the built-in capabilities (`RunbookContext`): no custom capability may take these names. */
export const CONTEXT_NAMES = ['executionId', 'incidentId', 'dryRun', 'runbookVersion', 'incident', 'approve', 'sleep', 'waitFor', 'log', 'patched'] as const;

/** Why `name` cannot name a custom capability, or undefined when it can. */
export function capabilityNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !CAPABILITY_NAME.test(name)) return 'camelCase letters and digits, at most 40 (e.g. "featureFlags")';
  if ((CAPABILITIES as readonly string[]).includes(name)) return `"${name}" is a built-in capability`;
  if ((CONTEXT_NAMES as readonly string[]).includes(name)) return `"${name}" is taken by ctx.${name}`;
  return undefined;
}
