/** What every capability's activities share at their boundary. */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { type ActivitiesOf, activityName } from '../core/model/capabilities/activities';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { type OperationCommand, schemaOf } from '../core/schemas/capabilities/operation-schemas';
import { type Capability, type OperationName, type OperationOutput, operationNames } from '../core/model/capabilities/operations';

/**
 * Validates an activity's input with its capability schema (applying its defaults). A bad
 * input is the caller's bug: the failure names each field and is not retried.
 */
export function parseStepInput<S extends z.ZodType>(schema: S, input: unknown, activity: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
  throw ApplicationFailure.create({
    message: `${activity}: invalid input: ${problems.join('; ')}`,
    type: CapabilityFailure.InvalidInput,
    nonRetryable: true,
    details: [problems],
  });
}

/**
 * An activity of a capability: validates its input with `schema` (at the boundary, before
 * any vendor call) and hands the parsed command to `perform` (the port).
 */
export function stepActivity<S extends z.ZodType, R>(name: string, schema: S, perform: (command: z.output<S>) => Promise<R>) {
  return async (input: z.input<S>): Promise<R> => perform(parseStepInput(schema, input, name));
}

/** What performs each operation of a capability: its port, or functions that check first and then call it. */
export type Performers<C extends Capability> = {
  [O in OperationName<C>]: (command: OperationCommand<C, O>) => Promise<OperationOutput<C, O>>;
};

/**
 * The activities of `capability`, one per declared operation, under the names Temporal
 * records: each validates its input with the operation's schema and hands the command to
 * `perform` (the port, whose methods are called on it).
 */
export function capabilityActivities<C extends Capability>(capability: C, perform: Performers<C>): ActivitiesOf<C> {
  const activities: Record<string, (input: never) => Promise<unknown>> = {};
  for (const name of operationNames(capability)) {
    const schema = schemaOf(capability, name);
    const performer = perform as Record<string, (command: unknown) => Promise<unknown>>;
    const activity = activityName(capability, name);
    activities[activity] = stepActivity(activity, schema, (command) => performer[name](command));
  }
  return activities as ActivitiesOf<C>;
}

/**
 * A short, stable digest of an idempotency key: what adapters stamp on vendor records
 * (labels, markers) where the key itself is too long or has the wrong characters.
 */
export function keyDigest(idempotencyKey: string, length = 16): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, length);
}
