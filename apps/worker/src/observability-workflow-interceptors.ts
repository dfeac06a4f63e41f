/**
 * Workflow interceptors (bundled with the workflow code: see WORKFLOW_INTERCEPTOR_MODULES in
 * workflow-bundle.ts):
 *
 * - the request id of the call a workflow is handling (its start, a signal, an update) goes
 *   onto the activities and child workflows that call leads to, and onto the workflow's log
 *   lines and spans;
 * - a span for each call a workflow handles that came with a trace context (`RunWorkflow:`,
 *   `HandleUpdate:`, `HandleSignal:`), the parent of the activities and child workflows the
 *   call leads to. Replay-safe by construction: a span's id is derived from the run id and the
 *   call (an update's id, a signal's place in the run), its times are workflow time, it leaves
 *   through a sink (not called on replay) and the wrappers add no turn of the event loop, so
 *   commands come out as they would untraced.
 *
 * Both are deterministic: they read only the inbound calls' headers, which the history holds,
 * and change no command, only the headers commands carry.
 */
import type { Headers } from '@temporalio/common';
import {
  AsyncLocalStorage,
  ContinueAsNew,
  patched,
  proxySinks,
  type Sinks,
  workflowInfo,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { currentPaths } from '../../../workflows/compat';
import { headersWithRequestId, requestIdFromHeaders } from '../../../temporal-client/request-id';
import { headersWithTraceParent, spanIdFor, type TraceParent, traceParentFromHeaders, WORKFLOW_SPAN_SINK, type WorkflowSpan } from '../../../temporal-client/trace-context';

/**
 * Recorded by runs started from 2026-12-07 where OpenTelemetry's own workflow interceptors
 * would have started spans (they were switched off before release: their wrappers add turns
 * of the event loop, and a run replayed from history then ordered its commands differently,
 * seen as "Update machine does not handle this event: TimerCanceled"). It marks nothing now;
 * it is still asked at the same points so the histories that hold it replay. Retire after
 * 2027-03-07 (see workflows/compat.ts for how). Recorded in histories: never change it.
 */
export const TRACING_PATCH = 'workflow-tracing';

/**
 * The methods of OpenTelemetry's workflow interceptors (`OpenTelemetryInboundInterceptor` and
 * `OpenTelemetryOutboundInterceptor` of `@temporalio/interceptors-opentelemetry` 1.24), each
 * of which asked {@link TRACING_PATCH} in the runs that recorded it. Named here, not read
 * from those classes: importing them loaded OpenTelemetry into every workflow (this module
 * is not shared), about 1.2 MB of worker memory per open incident, which ran the worker's
 * workflow thread out of heap in a 1,000-incident storm. The spec checks them against the SDK.
 */
export const TRACED_INBOUND_METHODS = ['execute', 'handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'] as const;
export const TRACED_OUTBOUND_METHODS = [
  'scheduleActivity',
  'scheduleLocalActivity',
  'startNexusOperation',
  'startChildWorkflowExecution',
  'continueAsNew',
  'signalWorkflow',
  'getLogAttributes',
  'getMetricTags',
] as const;

/** Methods that may not issue commands (no patch marker): the patch is asked there only once a call that may has asked it. */
const READ_ONLY = new Set(['validateUpdate', 'handleQuery', 'getLogAttributes', 'getMetricTags']);

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/**
 * Pass-through for each of `names`, asking {@link TRACING_PATCH} first as the runs that
 * recorded it did: `asked()` where a command may be issued, `decided()` everywhere else. Runs
 * that recorded the current paths (workflows/compat.ts) never ask it.
 */
function patchAskedAsRecorded<T extends object>(names: readonly string[], asked: () => boolean, decided: () => boolean): T {
  const methods: Record<string, Method> = {};
  for (const name of names) {
    const ask = READ_ONLY.has(name) ? decided : asked;
    methods[name] = (input, next) => {
      ask();
      return next(input);
    };
  }
  return methods as T;
}

/** The attribute that holds the request id (as in temporal-client/request-context.ts, which workflow code may not import). */
const REQUEST_ID_ATTRIBUTE = 'firebreak.request_id';

/** Error messages on spans are cut to this many characters. */
const SPAN_ERROR_CHARS = 500;

const sinks = proxySinks<Sinks & { [WORKFLOW_SPAN_SINK]: { export(span: WorkflowSpan): void } }>();

/** What a workflow is handling: the request id its call came with, and the span it runs in. */
interface CallContext {
  requestId?: string;
  span?: TraceParent;
}

/**
 * One storage for every workflow of the worker thread. This module is shared (evaluated once
 * per thread, before any workflow: SHARED_WORKFLOW_MODULES), so the storage is made outside
 * any workflow and lives as long as the thread. Every storage alive in a thread is visited on
 * each promise any workflow creates, and a workflow's own storages live until it leaves the
 * cache: two per workflow made a 1,000-incident storm cost each promise thousands of visits
 * and ran the workflow thread out of heap. The store is set per call and follows that call's
 * promises only, so workflows never see each other's.
 */
const calls = new AsyncLocalStorage<CallContext>();

/** A span a workflow has begun: it is exported when the call it stands for settles. */
interface OpenSpan {
  name: string;
  context: TraceParent;
  parentSpanId: string;
  startMs: number;
  attributes: Record<string, string>;
}

/** The span named `name` a call begins when `headers` carry a trace context. */
function openSpan(headers: Headers, name: string, key: string, attributes: Record<string, string>): OpenSpan | undefined {
  const parent = traceParentFromHeaders(headers);
  if (parent === undefined) return undefined;
  const { runId, workflowId } = workflowInfo();
  return {
    name,
    context: { ...parent, spanId: spanIdFor(`${runId}:${key}`) },
    parentSpanId: parent.spanId,
    startMs: Date.now(),
    attributes: { temporalWorkflowId: workflowId, run_id: runId, ...attributes },
  };
}

function end(span: OpenSpan, error?: unknown): void {
  const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
  sinks[WORKFLOW_SPAN_SINK].export({
    ...span,
    endMs: Date.now(),
    ...(message === undefined ? {} : { error: message.slice(0, SPAN_ERROR_CHARS) }),
  });
}

export const interceptors = (): WorkflowInterceptors => {
  // The SDK calls this factory as each workflow starts.
  let signals = 0;
  let patchAsked: boolean | undefined;
  // Runs that recorded the current paths (workflows/compat.ts) skip it: asked first, here, in
  // the run's first command-capable call, where the runs that hold the tracing marker asked it.
  const asked = () => (patchAsked ??= !currentPaths().current && patched(TRACING_PATCH));
  const decided = () => patchAsked === true;

  /**
   * Handles one inbound call: within its request (the request id its headers name, onto the
   * log lines and the commands it leads to) and in a span `name` when they carry a trace
   * context, exported once the call's promise settles. The call's promise is returned as it
   * is (the span only watches it), so the workflow's event loop turns as it would untraced.
   */
  const handled = <T>(headers: Headers, name: string, key: string, attributes: Record<string, string>, next: () => Promise<T>): Promise<T> => {
    const requestId = requestIdFromHeaders(headers);
    const span = openSpan(headers, name, key, requestId === undefined ? attributes : { ...attributes, [REQUEST_ID_ATTRIBUTE]: requestId });
    if (requestId === undefined && span === undefined) return next();
    // What the call does not name, it keeps from where it was called.
    const outer = calls.getStore();
    const result = calls.run({ requestId: requestId ?? outer?.requestId, span: span?.context ?? outer?.span }, next);
    if (span) {
      result.then(
        () => end(span),
        (error: unknown) => end(span, error instanceof ContinueAsNew ? undefined : error),
      );
    }
    return result;
  };

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => handled(input.headers, `RunWorkflow:${workflowInfo().workflowType}`, 'run', {}, () => next(input)),
    handleSignal: (input, next) => {
      signals += 1;
      return handled(input.headers, `HandleSignal:${input.signalName}`, `signal:${signals}`, {}, () => next(input));
    },
    handleUpdate: (input, next) =>
      handled(input.headers, `HandleUpdate:${input.name}`, `update:${input.updateId}`, { temporalUpdateId: input.updateId }, () => next(input)),
  };
  /** The request id, and the span the workflow is in as the parent of what it starts. */
  const carried = (headers: Headers): Headers => {
    const call = calls.getStore();
    return headersWithRequestId(headersWithTraceParent(headers, call?.span), call?.requestId);
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next({ ...input, headers: carried(input.headers) }),
    scheduleLocalActivity: (input, next) => next({ ...input, headers: carried(input.headers) }),
    startChildWorkflowExecution: (input, next) => next({ ...input, headers: carried(input.headers) }),
    getLogAttributes: (input, next) => {
      const requestId = calls.getStore()?.requestId;
      return next(requestId === undefined ? input : { ...input, requestId });
    },
  };

  return {
    inbound: [patchAskedAsRecorded<WorkflowInboundCallsInterceptor>(TRACED_INBOUND_METHODS, asked, decided), inbound],
    outbound: [patchAskedAsRecorded<WorkflowOutboundCallsInterceptor>(TRACED_OUTBOUND_METHODS, asked, decided), outbound],
  };
};
