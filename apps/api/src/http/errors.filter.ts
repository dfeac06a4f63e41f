import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { currentRequestId } from '../../../../temporal-client/request-context';
import { type ErrorBody, httpFailureOf, requestIssuesOf, validationFailedBody, ValidationFailedError } from './failures';

/**
 * Every error leaves the API as `{ statusCode, error, message, issues? }`, from this one
 * place: validation failures name each field and rule; Temporal and domain failures take
 * their status from {@link httpFailureOf} (503s with `Retry-After`); anything unexpected is
 * logged and answered 500 without internals, with the request id that finds the log line.
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
      return validationFailedBody(requestIssuesOf((exception.getZodError() as ZodError).issues));
    }
    if (exception instanceof ValidationFailedError) return validationFailedBody(exception.issues);
    const failure = httpFailureOf(exception);
    if (failure) {
      if (failure.retryAfterSeconds !== undefined) {
        response.setHeader('Retry-After', String(failure.retryAfterSeconds));
        this.logger.warn(failure.message);
      }
      return { statusCode: failure.status, error: STATUS_CODES[failure.status] ?? 'Error', message: failure.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message =
        typeof payload === 'string'
          ? payload
          : String((payload as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: Array.isArray(message) ? message.join('; ') : message };
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
    // The id finds the logged error: a caller who reports a 500 can quote it.
    const requestId = currentRequestId();
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'unexpected error', ...(requestId ? { requestId } : {}) };
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
