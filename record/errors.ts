/** The record's failures, and which of them mean "not reachable now" (retry later). */

/** The record could not be reached or did not answer in time: reads answer 503, writes retry. */
export class RecordUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`the incident record is not reachable (${operation}); retry later`, options);
    this.name = 'RecordUnavailableError';
  }
}

/** No `DATABASE_URL` was given to this process: search and reports have nothing to read. */
export class RecordNotConfiguredError extends Error {
  constructor() {
    super('the incident record is not configured (DATABASE_URL)');
    this.name = 'RecordNotConfiguredError';
  }
}

// SQLSTATE classes and codes that mean "try again": connection exceptions (08), insufficient
// resources (53), operator intervention such as a shutdown (57P01-57P03), serialization
// failures and deadlocks (40001, 40P01), a statement cancelled by its timeout (57014).
const RETRYABLE_STATES = /^(08|53|57P0[1-3]|40001|40P01|57014)/;
const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|connection is closed|Too many connections/i;

/** True when `error` says the database was not reached or not in time, as opposed to a refusal of the statement. */
export function isRecordUnavailable(error: unknown): boolean {
  if (error instanceof RecordUnavailableError) return true;
  // Duck-typed: socket errors may come from another realm than this module's `Error`.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string' && (RETRYABLE_STATES.test(code) || NETWORK.test(code))) return true;
  if (typeof message === 'string' && NETWORK.test(message)) return true;
  // AggregateError (several addresses refused) and wrapped causes.
  if (Array.isArray(errors) && errors.some(isRecordUnavailable)) return true;
  return cause !== undefined && isRecordUnavailable(cause);
}
