import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorsFilter } from '../http/errors.filter';
import type { ErrorBody } from '../http/failures';

/**
 * Answers a route's errors in the shape its vendor's clients read (PagerDuty's, Opsgenie's),
 * from the API's own error body: the status, the message and each broken rule come from
 * {@link ErrorsFilter}, the one edge for errors (it also sets `Retry-After` on a 503).
 */
export abstract class VendorErrorAnswers implements ExceptionFilter {
  private readonly errors = new ErrorsFilter();

  /** The vendor's body for the API's error `body`; may change the status (Opsgenie's 422). */
  protected abstract answer(body: ErrorBody): { status: number; body: unknown };

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let captured: ErrorBody | undefined;
    const capturing = {
      setHeader: (name: string, value: string) => response.setHeader(name, value),
      status: () => capturing,
      json: (body: ErrorBody) => {
        captured = body;
        return capturing;
      },
    };
    const http = host.switchToHttp();
    this.errors.catch(exception, {
      switchToHttp: () => ({ getRequest: () => http.getRequest(), getResponse: () => capturing, getNext: () => http.getNext() }),
    } as unknown as ArgumentsHost);
    const { status, body } = this.answer(captured!);
    response.status(status).json(body);
  }
}

/** Each broken rule as `path: message` (the message alone when it names its field already). */
export function ruleTexts(body: ErrorBody): string[] {
  if (!body.issues?.length) return [body.message];
  return body.issues.map((issue) => (issue.message.startsWith(issue.path) ? issue.message : `${issue.path}: ${issue.message}`));
}
