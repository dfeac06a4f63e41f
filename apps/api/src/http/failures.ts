import { HttpStatus } from '@nestjs/common';
import { ApplicationFailure, QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ExecutionFailure } from '../../../../core/model/execution';
import { IncidentFailure } from '../../../../core/model/incident';
import { describeIssues, issuePath, type IssueLike } from '../../../../core/model/validation-issues';
import { TemporalUnavailableError } from '../temporal/temporal-unavailable.error';

/** One broken rule of a request: `path` names the field, `rule` the check it failed. */
export interface ValidationIssue {
  path: string;
  rule: string;
  message: string;
}

/** The body of every error the API answers. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: ValidationIssue[];
  /** For 413: the most this route reads, in bytes. */
  limit?: number;
  /** For 500: the request's id (its `X-Request-Id`), which the logged error carries too. */
  requestId?: string;
}

/** A broken rule before it is put in words: `path` from the request body's root. */
export interface RequestIssue extends IssueLike {
  readonly rule: string;
}

/** What an issue about the request body as a whole names as its path. */
const REQUEST_BODY = '(body)';

/** The request names an incident, an execution… that does not exist: 404 `no <resource> <id>`. */
export class NotFoundError extends Error {
  constructor(
    readonly resource: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`no ${resource} ${id}`, options);
    this.name = 'NotFoundError';
  }
}

/** The request breaks rules a schema or a check states: 400 naming each field and rule. */
export class ValidationFailedError extends Error {
  constructor(readonly issues: readonly RequestIssue[]) {
    super(describeIssues(issues, { whole: REQUEST_BODY }));
    this.name = 'ValidationFailedError';
  }
}

/**
 * For `.catch()` on a read of one workflow: a workflow that does not exist (or is of
 * another kind, so has no such query) is a {@link NotFoundError} naming `resource` and `id`.
 */
export function missingAs(resource: string, id: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError) {
      throw new NotFoundError(resource, id, { cause: error });
    }
    throw error;
  };
}

/**
 * A workflow's refusal of an update, by its failure `type`, as the API answers it. A type
 * not listed is a step behind the workflow failing (the incident's `StatusPageFailed`):
 * {@link UNLISTED_FAILURE_STATUS}.
 */
export const STATUS_BY_FAILURE = {
  [IncidentFailure.Conflict]: HttpStatus.CONFLICT,
  [IncidentFailure.Invalid]: HttpStatus.BAD_REQUEST,
  [IncidentFailure.NotOpen]: HttpStatus.CONFLICT,
  [ExecutionFailure.NoPendingApproval]: HttpStatus.CONFLICT,
  [ExecutionFailure.ApprovalForbidden]: HttpStatus.FORBIDDEN,
} as const satisfies Record<string, HttpStatus>;

/** @see STATUS_BY_FAILURE */
export const UNLISTED_FAILURE_STATUS = HttpStatus.BAD_GATEWAY;

/** How the API answers a Temporal or domain failure: status, message, and when to retry. */
export interface HttpFailure {
  status: HttpStatus;
  message: string;
  retryAfterSeconds?: number;
}

const statusByType: Readonly<Partial<Record<string, HttpStatus>>> = STATUS_BY_FAILURE;

/**
 * The HTTP form of the Temporal and domain failures the API knows; `undefined` for the
 * rest (Nest's own exceptions, or a failure nobody expected: a 500, logged).
 *
 * | failure                                          | status |
 * | ------------------------------------------------ | ------ |
 * | {@link NotFoundError}                            | 404 `no <resource> <id>` |
 * | `WorkflowNotFoundError` not named by a service   | 404 `no such incident or execution` |
 * | update refused with a failure `type`             | {@link STATUS_BY_FAILURE}, else 502 |
 * | {@link TemporalUnavailableError}                 | 503 with `Retry-After` |
 */
export function httpFailureOf(exception: unknown): HttpFailure | undefined {
  if (exception instanceof NotFoundError) return { status: HttpStatus.NOT_FOUND, message: exception.message };
  if (exception instanceof WorkflowNotFoundError) return { status: HttpStatus.NOT_FOUND, message: 'no such incident or execution' };
  if (exception instanceof WorkflowUpdateFailedError && exception.cause instanceof ApplicationFailure) {
    const { type, message } = exception.cause;
    return { status: (type ? statusByType[type] : undefined) ?? UNLISTED_FAILURE_STATUS, message };
  }
  if (exception instanceof TemporalUnavailableError) {
    return { status: HttpStatus.SERVICE_UNAVAILABLE, message: exception.message, retryAfterSeconds: exception.retryAfterSeconds };
  }
  return undefined;
}

/** The 400 body of broken rules: each issue with its path and rule, `message` all of them on one line. */
export function validationFailedBody(issues: readonly RequestIssue[]): ErrorBody {
  return {
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: describeIssues(issues, { whole: REQUEST_BODY }),
    issues: issues.map((issue) => ({ path: issuePath(issue.path, REQUEST_BODY), rule: issue.rule, message: issue.message })),
  };
}

/** zod's issues as {@link RequestIssue}s: the rule is the zod check's `code`. */
export function requestIssuesOf(issues: readonly { path: readonly PropertyKey[]; code: string; message: string }[]): RequestIssue[] {
  return issues.map((issue) => ({ path: issue.path, rule: issue.code, message: issue.message }));
}
