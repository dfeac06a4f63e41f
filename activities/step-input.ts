/** What every capability's activities share at their boundary. */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import { CapabilityFailure } from '../core/capabilities/common';

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

/**
 * A short, stable digest of an idempotency key: what adapters stamp on vendor records
 * (labels, markers) where the key itself is too long or has the wrong characters.
 */
export function keyDigest(idempotencyKey: string, length = 16): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, length);
}
