/** How the CLI exits: scripts branch on these, so they are part of its contract (docs/cli.md). */
export const ExitCode = {
  Ok: 0,
  /** Anything else: the API unreachable or failing, a run that failed. */
  Failure: 1,
  /** The command line or the input broke a rule (the API's 400 and 413 included). */
  Usage: 2,
  NotFound: 3,
  /** The API refused: no or unknown key (401), role too low (403), not allowed now (409). */
  Refused: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A broken rule as the API names it in a 400's `issues`. */
export interface FieldIssue {
  path: string;
  rule?: string;
  message: string;
}

/** An error the CLI reports in words and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The exit code of an API answer's status. */
export function exitCodeOf(status: number): ExitCode {
  if (status === 404) return ExitCode.NotFound;
  if (status === 401 || status === 403 || status === 409) return ExitCode.Refused;
  if (status === 400 || status === 413 || status === 422) return ExitCode.Usage;
  return ExitCode.Failure;
}

/** An error answer of the API: its status, its message and the fields it names. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    message: string,
    issues: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message, exitCodeOf(status), issues);
  }
}

/** A wrong command line, found before anything is sent. */
export const usage = (message: string) => new CliError(message, ExitCode.Usage);
