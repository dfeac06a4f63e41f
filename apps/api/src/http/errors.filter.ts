import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { TemporalUnavailableError } from '../temporal/temporal-unavailable.error';

/** One broken rule of a request: `path` names the field, `rule` the zod check it failed. */
export interface ValidationIssue {
  path: string;
  rule: string;
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: ValidationIssue[];
  /** For 413: the most this route reads, in bytes. */
  limit?: number;
}

export function describeZodError(error: ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    rule: issue.code,
    message: issue.message,
  }));
}

/**
 * Every error leaves the API as `{ statusCode, error, message, issues? }`. Validation
 * failures name each field and rule; Temporal outages are 503 with `Retry-After`; anything
 * unexpected is logged and answered 500 without internals.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception, response);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, response: Response): ErrorBody {
    if (exception instanceof ZodValidationException) {
      const issues = describeZodError(exception.getZodError() as ZodError);
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
        issues,
      };
    }
    if (exception instanceof TemporalUnavailableError) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      this.logger.warn(exception.message);
      return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: exception.message };
    }
    if (exception instanceof WorkflowNotFoundError) {
      return { statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: 'no such incident or execution' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : String((payload as { message?: unknown }).message ?? exception.message);
      const extra = typeof payload === 'object' ? (payload as { issues?: ValidationIssue[] }) : {};
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: Array.isArray(message) ? message.join('; ') : message,
        ...(extra.issues ? { issues: extra.issues } : {}),
      };
    }
    const bodyParserError = asBodyParserError(exception);
    if (bodyParserError) {
      const error = STATUS_CODES[bodyParserError.status] ?? 'Error';
      if (bodyParserError.type === 'entity.too.large' && bodyParserError.limit !== undefined) {
        const { limit } = bodyParserError;
        return { statusCode: bodyParserError.status, error, message: `request body is larger than this route's limit of ${limit} bytes`, limit };
      }
      const message =
        bodyParserError.type === 'entity.parse.failed' ? 'request body is not valid JSON' : bodyParserError.message;
      return { statusCode: bodyParserError.status, error, message };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'unexpected error' };
  }
}

/**
 * Errors the JSON body parser raises carry a 4xx `status` and a `type` such as
 * `entity.parse.failed`; `entity.too.large` (413) also carries the route's `limit`.
 */
function asBodyParserError(exception: unknown): { status: number; type: string; message: string; limit?: number } | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, type, limit } = exception as Error & { status?: unknown; type?: unknown; limit?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
    return { status, type, message: exception.message, ...(typeof limit === 'number' ? { limit } : {}) };
  }
  return undefined;
}
