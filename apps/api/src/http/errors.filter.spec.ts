import { ConflictException, Logger } from '@nestjs/common';
import type { ArgumentsHost } from '@nestjs/common';
import { ApplicationFailure, QueryNotRegisteredError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';
import { ExecutionFailure } from '../../../../core/model/execution';
import { IncidentFailure } from '../../../../core/model/incident';
import { TemporalRejectedError } from '../temporal/temporal-rejected.error';
import { TemporalUnavailableError } from '../temporal/temporal-unavailable.error';
import { requestContext } from '../../../../temporal-client/request-context';
import { ErrorsFilter } from './errors.filter';
import { missingAs, NotFoundError, ValidationFailedError } from './failures';

/** What the filter answers for `exception`: status, headers set, JSON body. */
function answer(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorsFilter().catch(exception, host);
  return sent;
}

const refused = (type: string, message: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.nonRetryable(message, type));

describe('ErrorsFilter', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [IncidentFailure.Conflict, 409, 'Conflict'],
    [IncidentFailure.Invalid, 400, 'Bad Request'],
    [IncidentFailure.NotOpen, 409, 'Conflict'],
    [ExecutionFailure.NoPendingApproval, 409, 'Conflict'],
    [ExecutionFailure.ApprovalForbidden, 403, 'Forbidden'],
    ['StatusPageFailed', 502, 'Bad Gateway'],
  ])('answers an update refused with %s as %i, with the refusal as the message', (type, status, error) => {
    expect(answer(refused(type, 'the reason'))).toEqual({ status, headers: {}, body: { statusCode: status, error, message: 'the reason' } });
  });

  it('names the resource of a 404 when a service does, and answers a bare WorkflowNotFoundError with the generic one', async () => {
    expect(answer(new NotFoundError('incident', 'inc-0123456789ab')).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'no incident inc-0123456789ab' });
    expect(answer(new WorkflowNotFoundError('not found', 'rbx-0123456789ab', undefined)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no such incident or execution',
    });
    const missing = Promise.reject(new QueryNotRegisteredError('no such query', 3)).catch(missingAs('execution', 'rbx-1'));
    await expect(missing).rejects.toEqual(new NotFoundError('execution', 'rbx-1'));
    const other = new Error('other');
    await expect(Promise.reject(other).catch(missingAs('execution', 'rbx-1'))).rejects.toBe(other);
  });

  it('answers Temporal not reached in time with 503 and Retry-After, and a value Temporal refuses with 400', () => {
    expect(answer(new TemporalUnavailableError('reading an incident', 5))).toEqual({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { statusCode: 503, error: 'Service Unavailable', message: 'Temporal did not confirm reading an incident in time; retry later' },
    });
    expect(answer(new TemporalRejectedError('listing incidents')).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Temporal refused listing incidents: the request carries a value it does not accept',
    });
  });

  it('answers broken rules with 400 naming each path and rule, whether zod or the service found them', () => {
    const zod = z.object({ title: z.string(), labels: z.object({ team: z.string() }) }).safeParse({ labels: {} });
    expect(zod.success).toBe(false);
    expect(answer(new ZodValidationException(zod.error!)).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'title: Invalid input: expected string, received undefined; labels.team: Invalid input: expected string, received undefined',
      issues: [
        { path: 'title', rule: 'invalid_type', message: 'Invalid input: expected string, received undefined' },
        { path: 'labels.team', rule: 'invalid_type', message: 'Invalid input: expected string, received undefined' },
      ],
    });
    expect(answer(new ZodValidationException(z.string().safeParse(1).error!)).body).toMatchObject({ message: '(body): Invalid input: expected string, received number', issues: [{ path: '(body)' }] });
    expect(answer(new ValidationFailedError([{ path: ['pageToken'], rule: 'page_token', message: 'not ours' }])).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'pageToken: not ours',
      issues: [{ path: 'pageToken', rule: 'page_token', message: 'not ours' }],
    });
  });

  it("passes Nest's own exceptions through, and answers anything else 500 without internals, logged", () => {
    expect(answer(new ConflictException('the incident is closed')).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'the incident is closed' });
    expect(answer(new Error('database password is hunter2')).body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'unexpected error' });
    expect(Logger.prototype.error).toHaveBeenCalledTimes(1);
  });

  it('gives a 500 the request id that finds its logged error, and no other answer', () => {
    requestContext.run({ requestId: 'req-0123' }, () => {
      expect(answer(new Error('boom')).body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'unexpected error', requestId: 'req-0123' });
      expect(answer(new ConflictException('the incident is closed')).body).toEqual({ statusCode: 409, error: 'Conflict', message: 'the incident is closed' });
      expect(answer(new TemporalUnavailableError('reading an incident', 5)).body).not.toHaveProperty('requestId');
    });
  });
});
