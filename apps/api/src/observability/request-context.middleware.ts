import { randomUUID } from 'node:crypto';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_ATTRIBUTE, requestContext } from '../../../../temporal-client/request-context';
import { isRequestId } from '../../../../temporal-client/request-id';

/** The HTTP header a request id comes in and is answered in. */
export const REQUEST_ID_HTTP_HEADER = 'X-Request-Id';

/** The tracer of the API's own spans. */
export const API_TRACER = 'firebreak-api';

/**
 * The request id of a request: the caller's `X-Request-Id` when it is a sane token (1 to
 * 128 of `A-Z a-z 0-9 . _ : -`), else a new one.
 */
export function requestIdFor(request: Pick<Request, 'headers'>): string {
  const given = request.headers['x-request-id'];
  return isRequestId(given) ? given : randomUUID();
}

/** The route pattern that answered (`/v1/incidents/:id`), or undefined when none did. */
function routePattern(request: Request): string | undefined {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * The first middleware of every request: gives it its request id (answered in
 * `X-Request-Id`), opens its server span `HTTP <METHOD> <route pattern>`, and runs the rest
 * of the request inside both, so that log lines, Temporal calls and their spans carry them.
 */
export function requestContextMiddleware(): (request: Request, response: Response, next: NextFunction) => void {
  const tracer = trace.getTracer(API_TRACER);
  return (request, response, next) => {
    const requestId = requestIdFor(request);
    (request as Request & { id: string }).id = requestId;
    response.setHeader(REQUEST_ID_HTTP_HEADER, requestId);
    // A caller that traces (W3C `traceparent`) gets the request as a child of its own span.
    const parent = propagation.extract(context.active(), request.headers);
    const method = request.method.toUpperCase();
    const span = tracer.startSpan(
      `HTTP ${method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, [REQUEST_ID_ATTRIBUTE]: requestId } },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routePattern(request);
      if (route !== undefined) {
        span.updateName(`HTTP ${method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    response.once('finish', end);
    response.once('close', end);
    requestContext.run({ requestId }, () => context.with(trace.setSpan(parent, span), next));
  };
}
