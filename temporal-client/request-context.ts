/**
 * The request a piece of work is done for, wherever it runs in Node (an API request, an
 * activity), and the client interceptors that carry it, with the trace, into Temporal.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
import type { ClientInterceptors, WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { headersWithRequestId } from './request-id';

export interface RequestContext {
  readonly requestId: string;
}

/** The current request: set by the API for each HTTP request and by the worker for each activity. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The span attribute that holds the request id. */
export const REQUEST_ID_ATTRIBUTE = 'firebreak.request_id';

/** The request id of the work in hand, if it is done for a request. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** The current request id, noted on the active span, then `fn`'s result. */
function withRequestId<T>(fn: (requestId: string | undefined) => T): T {
  const requestId = currentRequestId();
  if (requestId !== undefined) trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  return fn(requestId);
}

/**
 * Puts the current request id in the headers of every workflow start, signal, update and
 * query, where the workflow interceptor (apps/worker/src/observability-workflow-interceptors.ts)
 * reads it.
 */
export class RequestIdClientInterceptor implements WorkflowClientInterceptor {
  start: NonNullable<WorkflowClientInterceptor['start']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));

  startWithDetails: NonNullable<WorkflowClientInterceptor['startWithDetails']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));

  signal: NonNullable<WorkflowClientInterceptor['signal']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));

  signalWithStart: NonNullable<WorkflowClientInterceptor['signalWithStart']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));

  startUpdate: NonNullable<WorkflowClientInterceptor['startUpdate']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));

  startUpdateWithStart: NonNullable<WorkflowClientInterceptor['startUpdateWithStart']> = (input, next) =>
    withRequestId((id) =>
      next({
        ...input,
        workflowStartHeaders: headersWithRequestId(input.workflowStartHeaders, id),
        updateHeaders: headersWithRequestId(input.updateHeaders, id),
      }),
    );

  query: NonNullable<WorkflowClientInterceptor['query']> = (input, next) =>
    withRequestId((id) => next({ ...input, headers: headersWithRequestId(input.headers, id) }));
}

/**
 * The interceptors of every Temporal client Firebreak makes: the trace (a no-op until a tracer
 * provider is registered) and then the request id, so the id lands on the client's span.
 */
export function firebreakClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor(), new RequestIdClientInterceptor()] };
}
