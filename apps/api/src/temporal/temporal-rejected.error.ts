import { BadRequestException } from '@nestjs/common';
import { isGrpcServiceError } from '@temporalio/client';

const INVALID_ARGUMENT = 3;

/**
 * Temporal refused a request as invalid (gRPC INVALID_ARGUMENT): a value the caller sent
 * (a page token, an id, a key) is not one Temporal takes. Retrying cannot help, so it is a
 * 400, never a 503 or a 500.
 */
export class TemporalRejectedError extends BadRequestException {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`Temporal refused ${operation}: the request carries a value it does not accept`, options);
    this.name = 'TemporalRejectedError';
  }
}

/** True when Temporal answered INVALID_ARGUMENT, however the client wrapped it. */
export function isTemporalRejection(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    if (isGrpcServiceError(cause)) return cause.code === INVALID_ARGUMENT;
    if (!(cause instanceof Error)) return false;
    cause = cause.cause;
  }
  return false;
}
