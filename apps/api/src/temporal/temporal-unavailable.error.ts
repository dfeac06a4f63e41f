import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

/** Temporal could not durably take a request in time; the caller should retry later. */
export class TemporalUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`Temporal did not confirm ${operation} in time; retry later`, options);
    this.name = 'TemporalUnavailableError';
  }
}

// gRPC status codes that mean "not reached / not in time", not "refused".
const UNAVAILABLE_CODES = new Set([
  1, // CANCELLED
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  14, // UNAVAILABLE
]);

/** True for failures that say Temporal was not reached in time, as opposed to a refusal. */
export function isTemporalUnavailable(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (isGrpcServiceError(error)) return UNAVAILABLE_CODES.has(error.code);
  // A query no worker answered (none polling, or the run failing its task): ask again later.
  if (error instanceof ServiceError && error.message === 'Failed to query Workflow') return true;
  if (error instanceof ServiceError) return isTemporalUnavailable(error.cause);
  if (error instanceof Error && /deadline|ECONNREFUSED|UNAVAILABLE|timed out/i.test(error.message)) {
    return error.cause === undefined || isTemporalUnavailable(error.cause);
  }
  return false;
}
