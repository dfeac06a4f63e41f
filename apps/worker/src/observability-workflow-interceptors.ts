/**
 * Workflow interceptors (bundled with the workflow code: see WORKFLOW_INTERCEPTOR_MODULES in
 * workflow-bundle.ts):
 *
 * - the request id of the call a workflow is handling (its start, a signal, an update) goes
 *   onto the activities and child workflows that call leads to, and onto the workflow's log
 *   lines and spans. Deterministic: the id comes only from the inbound call's headers, which
 *   the history holds, and it changes no command, only the headers commands carry;
 * - OpenTelemetry's spans (a span per run, signal, update, activity scheduled). Those do
 *   change commands: span ids are drawn from the workflow's seeded random numbers, so a
 *   workflow that draws its own (a heartbeat's incident id) draws others, and their wrappers
 *   add turns of the event loop. So they run only in workflows that recorded
 *   {@link TRACING_PATCH} as they started: runs started before it replay as they ran.
 */
import { trace } from '@opentelemetry/api';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { Headers, Payload } from '@temporalio/common';
import {
  AsyncLocalStorage,
  patched,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { headersWithRequestId, requestIdFromHeaders } from '../../../temporal-client/request-id';

/** The span attribute that holds the request id (as in temporal-client/request-context.ts, which workflow code may not import). */
const REQUEST_ID_ATTRIBUTE = 'firebreak.request_id';

/**
 * Old: workflows made no spans. Since 2026-12-07; retire after 2027-03-07 (see
 * workflows/compat.ts for how). Recorded in histories: never change it.
 */
export const TRACING_PATCH = 'workflow-tracing';

/**
 * Spans made inside workflows. Off: OpenTelemetry's workflow wrappers add turns of the event
 * loop around update handlers, and a workflow replayed from history (a worker restart, a
 * query on an evicted run) then orders its commands differently from the first run (seen as
 * "Update machine does not handle this event: TimerCanceled" on runs with an approval
 * timeout). The trace still goes from the HTTP request through the Temporal call to each
 * activity: the caller's trace context is carried onto the activities a call leads to, like
 * the request id.
 */
const WORKFLOW_SPANS = false;

/** OpenTelemetry's header for the trace context (as @temporalio/interceptors-opentelemetry names it). */
const TRACE_HEADER = '_tracer-data';

/** Methods that may not issue commands (no patch marker): they trace only once a call that may has decided. */
const READ_ONLY = new Set(['validateUpdate', 'handleQuery', 'getLogAttributes', 'getMetricTags']);

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/**
 * `interceptor`'s methods, each calling through to `next` directly unless `traced()` (asked
 * only where a command may be issued) or `decided()` (everywhere else) says to trace.
 */
function gated<T extends object>(interceptor: T, traced: () => boolean, decided: () => boolean): T {
  const methods: Record<string, Method> = {};
  const prototype = Object.getPrototypeOf(interceptor) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method = prototype[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    const on = READ_ONLY.has(name) ? decided : traced;
    methods[name] = (input, next) => {
      // Asked where it always was, so histories that recorded the marker replay; but no
      // span is made inside the workflow (see WORKFLOW_SPANS).
      on();
      return WORKFLOW_SPANS ? (method as Method).call(interceptor, input, next) : next(input);
    };
  }
  return methods as T;
}

export const interceptors = (): WorkflowInterceptors => {
  // One of each per workflow: the SDK calls this factory as each workflow starts.
  const requestIds = new AsyncLocalStorage<string>();
  const traceContexts = new AsyncLocalStorage<Payload>();
  let tracing: boolean | undefined;
  const traced = () => (tracing ??= patched(TRACING_PATCH));
  const decided = () => tracing === true;

  /** Runs `next` as the handling of the request in `headers`, if they name one. */
  const within = <T>(headers: Parameters<typeof requestIdFromHeaders>[0], next: () => T): T => {
    const traceContext = headers?.[TRACE_HEADER];
    if (traceContext) return traceContexts.run(traceContext, () => withinRequest(headers, next));
    return withinRequest(headers, next);
  };
  const withinRequest = <T>(headers: Parameters<typeof requestIdFromHeaders>[0], next: () => T): T => {
    const requestId = requestIdFromHeaders(headers);
    if (requestId === undefined) return next();
    trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    return requestIds.run(requestId, next);
  };

  const requestIdInbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => within(input.headers, () => next(input)),
    handleSignal: (input, next) => within(input.headers, () => next(input)),
    handleUpdate: (input, next) => within(input.headers, () => next(input)),
  };
  /** The request id, and the caller's trace context unless a span of the workflow's own set one. */
  const carried = (headers: Headers): Headers => {
    const traceContext = traceContexts.getStore();
    const withTrace = traceContext && !headers[TRACE_HEADER] ? { ...headers, [TRACE_HEADER]: traceContext } : headers;
    return headersWithRequestId(withTrace, requestIds.getStore());
  };
  const requestIdOutbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next({ ...input, headers: carried(input.headers) }),
    scheduleLocalActivity: (input, next) => next({ ...input, headers: carried(input.headers) }),
    startChildWorkflowExecution: (input, next) => next({ ...input, headers: carried(input.headers) }),
    getLogAttributes: (input, next) => {
      const requestId = requestIds.getStore();
      return next(requestId === undefined ? input : { ...input, requestId });
    },
  };

  // OpenTelemetry first, so the request id lands on its spans.
  return {
    inbound: [gated(new OpenTelemetryInboundInterceptor(), traced, decided), requestIdInbound],
    outbound: [gated(new OpenTelemetryOutboundInterceptor(), traced, decided), requestIdOutbound],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
