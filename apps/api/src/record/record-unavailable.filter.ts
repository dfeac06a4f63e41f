import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { RecordNotConfiguredError, RecordUnavailableError } from '../../../../record/errors';
import type { ErrorBody } from '../http/failures';

/** Seconds a client waits before asking again when this process has no record at all. */
const NOT_CONFIGURED_RETRY_SECONDS = 60;

/**
 * Reads that only the record answers (search, reports, similar incidents) answer 503 with
 * `Retry-After` while it is down or absent; every other error goes on to the global filter.
 */
@Catch(RecordUnavailableError, RecordNotConfiguredError)
export class RecordUnavailableFilter implements ExceptionFilter {
  private readonly logger = new Logger('record');

  catch(exception: RecordUnavailableError | RecordNotConfiguredError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const retryAfter = exception instanceof RecordUnavailableError ? exception.retryAfterSeconds : NOT_CONFIGURED_RETRY_SECONDS;
    this.logger.warn(exception.message);
    const body: ErrorBody = { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: exception.message };
    response.setHeader('Retry-After', String(retryAfter));
    response.status(HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }
}
