/**
 * Waiting for a rollback deployment to reach a final state, as every deploy adapter does:
 * look, heartbeat where the wait stands, pause (backing off, cut short by cancellation),
 * look again, until the vendor says it is stable or failed, or the step's time runs out.
 * The heartbeat details name the deployment, so a retried attempt (after a worker restart,
 * or a vendor 5xx while looking) resumes waiting on it instead of deploying again.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { fitText } from '../fit';

/** The longest pause between two looks at a deployment. */
export const MAX_POLL_INTERVAL_MS = 5_000;
/** Kept back from the step's timeout, so the last look and the failure land before Temporal's own timeout. */
const MAX_RESERVE_MS = 15_000;
/** The most of a vendor's explanation a failure carries. */
const MAX_WORDS = 500;

/** Where a wait stands: recorded in heartbeat details, read back by a retried attempt. */
export type DeployProgress<Extra extends object = object> = {
  idempotencyKey: string;
  deploymentId: string;
  /** When waiting began (ms since the epoch), so a resumed wait keeps the step's bound. */
  since: number;
} & Extra;

/** One look at a deployment: still going (in the vendor's words), stable, or failed for good. */
export type DeploymentLook =
  | { final: false; state: string }
  | { final: true; stable: true; state: string }
  | { final: true; stable: false; state: string; failure: ApplicationFailure };

export interface DeployWait<Extra extends object> {
  progress: DeployProgress<Extra>;
  /** What is waited for, for messages: e.g. `GitHub deployment 7 of v41 to production`. */
  subject: string;
  look: () => Promise<DeploymentLook>;
  /** The first pause; each next one doubles, up to {@link MAX_POLL_INTERVAL_MS}. */
  pollIntervalMs: number;
  /** When this attempt began (ms since the epoch). */
  attemptStartedAt: number;
}

/**
 * The progress an earlier attempt of this step recorded, if it was waiting on a deployment
 * (and `valid` accepts the vendor's own fields); undefined on a first attempt.
 */
export function resumedProgress<Extra extends object = object>(
  idempotencyKey: string,
  valid: (details: Record<string, unknown>) => boolean = () => true,
): DeployProgress<Extra> | undefined {
  const details: unknown = Context.current().info.heartbeatDetails;
  if (!details || typeof details !== 'object') return undefined;
  const recorded = details as Record<string, unknown>;
  const { idempotencyKey: key, deploymentId, since } = recorded;
  if (key !== idempotencyKey || typeof deploymentId !== 'string' || typeof since !== 'number' || !valid(recorded)) return undefined;
  return recorded as DeployProgress<Extra>;
}

/**
 * When a wait begun at `since` must end: the step's timeout (the activity's start-to-close)
 * after it, and after this attempt began, less a reserve. Infinity when the step has none.
 */
export function waitDeadline(attemptStartedAt: number, since: number = attemptStartedAt): number {
  const { startToCloseTimeoutMs, scheduleToCloseTimeoutMs } = Context.current().info;
  const timeout = startToCloseTimeoutMs > 0 ? startToCloseTimeoutMs : scheduleToCloseTimeoutMs;
  if (!(timeout > 0)) return Number.POSITIVE_INFINITY;
  return Math.min(attemptStartedAt, since) + timeout - Math.min(timeout / 10, MAX_RESERVE_MS);
}

/**
 * Waits until the deployment is final. Answers its final state when stable; throws the
 * look's failure when it failed (not retried: the vendor has decided); fails `OutOfBounds`,
 * not retried, when the step's time runs out first. Heartbeats `progress` before the first
 * look and with the state after each; a cancelled step stops at its next pause.
 */
export async function waitForFinalState<Extra extends object>(wait: DeployWait<Extra>): Promise<string> {
  const context = Context.current();
  const until = waitDeadline(wait.attemptStartedAt, wait.progress.since);
  context.heartbeat(wait.progress);
  let interval = Math.max(1, wait.pollIntervalMs);
  const cap = Math.max(MAX_POLL_INTERVAL_MS, interval);
  for (let looks = 1; ; looks += 1) {
    const look = await wait.look();
    context.heartbeat({ ...wait.progress, state: look.state, looks });
    if (look.final) {
      if (look.stable) return look.state;
      throw look.failure;
    }
    const left = until - Date.now();
    if (left <= 0) {
      throw ApplicationFailure.create({
        message: `${wait.subject} did not reach a final state within the step's timeout (waited ${seconds(Date.now() - wait.progress.since)}); its last state: ${look.state}`,
        type: CapabilityFailure.OutOfBounds,
        nonRetryable: true,
        details: [{ deploymentId: wait.progress.deploymentId, state: look.state }],
      });
    }
    await context.sleep(Math.min(interval, left));
    interval = Math.min(interval * 2, cap);
  }
}

/** A release as failure messages name it: input of any length, shortened to a readable size. */
export const shownRef = (ref: string) => fitText(ref, 200);

/** A failed deployment: the vendor's verdict, in its words, not retried. */
export function deploymentFailed(subject: string, state: string, words: string | undefined, deploymentId: string): ApplicationFailure {
  const said = words?.trim() ? `: ${fitText(words.trim(), MAX_WORDS)}` : '';
  return ApplicationFailure.create({
    message: `${subject} ended ${state}${said}`,
    type: CapabilityFailure.Rejected,
    nonRetryable: true,
    details: [{ deploymentId, state }],
  });
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}
