/**
 * The worker's logs and traces: the Temporal SDK's logger writing JSON through pino, the
 * activity interceptors that put an activity in its request and its trace, and the sink that
 * exports the spans workflows make (the workflow side is observability-workflow-interceptors.ts).
 */
import { createTraceState, SpanKind, SpanStatusCode, trace, type HrTime } from '@opentelemetry/api';
import { resources } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger as TemporalLogger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSink, WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Tracing } from '../../api/src/observability/tracing';
import { REQUEST_ID_ATTRIBUTE, requestContext } from '../../../temporal-client/request-context';
import { requestIdFromHeaders } from '../../../temporal-client/request-id';
import { WORKFLOW_SPAN_SINK, type WorkflowSpan } from '../../../temporal-client/trace-context';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-bundle';

/** Where the worker's spans go, workflow spans included (see ../../api/src/observability/tracing.ts). */
export type WorkerTracing = Pick<Tracing, 'processor' | 'resource'>;

const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<TemporalLogLevel, string>;

/**
 * The Temporal SDK's logger (`Runtime.install({ logger })`): the worker's own lines, and the
 * lines workflows (`log` from `@temporalio/workflow`) and activities (`Context.current().log`)
 * write, with what the SDK knows of them (workflow id and type, activity type, attempt) and
 * the request id the interceptors add.
 */
export class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: TemporalLogLevel, message: string, meta: LogMetadata = {}): void {
    // pino serialises an Error under `err`; under any other key it would print as `{}`. An
    // activity's task token completes it for whoever holds it: it stays out of logs.
    const { error, ...fields } = meta as Record<string, unknown>;
    delete fields.taskToken;
    const line = error instanceof Error ? { ...fields, err: error } : error === undefined ? fields : { ...fields, error };
    this.logger[PINO_LEVELS[level]](line, message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * An activity runs in the request its workflow task was handling (the header the workflow
 * interceptor set): its log lines carry `requestId`, its span the attribute, and the Temporal
 * calls it makes (platform activities start and signal workflows) pass the id on.
 */
export const requestIdActivityInterceptors: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        requestId = requestIdFromHeaders(input.headers);
        if (requestId === undefined) return next(input);
        trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        return requestContext.run({ requestId }, () => next(input));
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next(requestId === undefined ? input : { ...input, requestId }),
    },
  };
};

const hrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/** A span a workflow made (see observability-workflow-interceptors.ts), as OpenTelemetry's exporters take it. */
export function readableWorkflowSpan(span: WorkflowSpan, resource: resources.Resource): ReadableSpan {
  const { traceState, ...context } = span.context;
  const spanContext = { ...context, traceFlags: context.flags, ...(traceState ? { traceState: createTraceState(traceState) } : {}) };
  return {
    name: span.name,
    kind: SpanKind.INTERNAL,
    spanContext: () => spanContext,
    parentSpanId: span.parentSpanId,
    startTime: hrTime(span.startMs),
    endTime: hrTime(span.endMs),
    duration: hrTime(Math.max(0, span.endMs - span.startMs)),
    status: span.error === undefined ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: span.error },
    attributes: { ...span.attributes },
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationLibrary: { name: 'firebreak-workflow' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** The sink workflows export their spans through: to `processor`, never on replay (a replayed span was exported when it ended). */
function workflowSpanSink(processor: SpanProcessor, resource: resources.Resource): InjectedSink<{ export(span: WorkflowSpan): void }> {
  return { export: { fn: (_info, span) => processor.onEnd(readableWorkflowSpan(span, resource)), callDuringReplay: false } };
}

/**
 * The worker options for traces and the request id: OpenTelemetry's activity interceptors,
 * then the request id's; the workflow interceptor modules when the worker bundles its
 * workflow code (`bundles`; a bundle made ahead has them already); and the sink workflow
 * spans leave through, always registered because the bundled workflow interceptors call it
 * whenever a call comes with a trace context (spans go nowhere when tracing is off).
 */
export function workerObservability({ tracing, bundles }: { tracing?: WorkerTracing; bundles: boolean }): Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>> {
  return {
    interceptors: {
      ...(bundles ? { workflowModules: WORKFLOW_INTERCEPTOR_MODULES } : {}),
      activity: [
        (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
        requestIdActivityInterceptors,
      ],
    },
    sinks: {
      [WORKFLOW_SPAN_SINK]: workflowSpanSink(tracing?.processor ?? new NoopSpanProcessor(), tracing?.resource ?? resources.Resource.empty()),
    },
  };
}
