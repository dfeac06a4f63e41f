/** Running activities in adapter tests, and asserting on the failures they raise. */
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type ActivityDeps, createActivities, type FirebreakActivities } from '../../activities';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { sharedTemporalAddress } from '../temporal';
import type { StubServer } from './stub-server';

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * A MockActivityEnvironment whose activity logger is quiet (tests provoke failures on
 * purpose and assert on them, so the SDK's "activity failed" lines would only be noise) and
 * whose `run` takes the activity's own input and result types.
 */
export class ActivityEnvironment extends MockActivityEnvironment {
  constructor(info?: ConstructorParameters<typeof MockActivityEnvironment>[0]) {
    super(info, { logger: quiet });
  }

  override run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
    return super.run<A, R, typeof fn>(fn, ...args);
  }
}

let temporal: Client | undefined;

/**
 * Every activity as the worker builds them from `env` (the integration variables): adapter
 * tests exercise the same wiring as production. The Temporal client is the local status
 * page's; it connects (to the run's server) only if that adapter is used. `people` are the
 * responders notifications reach and how their links are signed.
 */
export function configuredActivities(env: Record<string, string>, people: Pick<ActivityDeps, 'responders' | 'ackLinks'> = {}): FirebreakActivities {
  temporal ??= new Client({ connection: Connection.lazy({ address: sharedTemporalAddress() }) });
  return createActivities({ config: loadIntegrationsConfig(env), temporal, ...people });
}

export const activityEnvironment = (info?: ConstructorParameters<typeof MockActivityEnvironment>[0]) => new ActivityEnvironment(info);

export interface ExpectedFailure {
  type: string;
  nonRetryable: boolean;
  /** Milliseconds, when the vendor asked for a delay. */
  nextRetryDelay?: number;
  message?: RegExp;
  /** Values that must not appear in the message. */
  secrets?: readonly string[];
}

/** Awaits `action`, which must fail with an ApplicationFailure like `expected`; returns it. */
export async function expectFailure(action: Promise<unknown>, expected: ExpectedFailure): Promise<ApplicationFailure> {
  const error = await action.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect({ type: failure.type, nonRetryable: failure.nonRetryable }).toEqual({ type: expected.type, nonRetryable: expected.nonRetryable });
  if (expected.nextRetryDelay !== undefined) expect(failure.nextRetryDelay).toBe(expected.nextRetryDelay);
  if (expected.message) expect(failure.message).toMatch(expected.message);
  for (const secret of expected.secrets ?? []) expect(failure.message).not.toContain(secret);
  return failure;
}

/**
 * Puts `route` through the transient faults every adapter must retry: a 429 with
 * Retry-After (retried after that delay), a 503, and no answer until the call's deadline.
 * `run` must call the adapter with a deadline well under the test's.
 */
export async function expectTransientFaultsRetried(stub: StubServer, route: string, run: () => Promise<unknown>): Promise<void> {
  stub.fail(route, { status: 429, headers: { 'retry-after': '7' }, body: { message: 'slow down' } });
  await expectFailure(run(), { type: CapabilityFailure.Throttled, nonRetryable: false, nextRetryDelay: 7000, message: /HTTP 429/ });
  stub.fail(route, { status: 503, body: 'upstream unavailable' });
  await expectFailure(run(), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /HTTP 503/ });
  stub.fail(route, 'hang');
  await expectFailure(run(), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /no answer \(timed out\)/ });
}
