import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resources } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A process's tracing, once started: where its spans go and what they are said to come from. */
export interface Tracing {
  /** Receives every span the process ends, workflow spans included (the worker's `exporter` sink). */
  readonly processor: SpanProcessor;
  /** `service.name` and the SDK's own attributes. */
  readonly resource: resources.Resource;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `OTEL_SERVICE_NAME`, else `firebreak-api` or `firebreak-worker`. */
  serviceName: string;
  /** The OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to `<endpoint>/v1/traces`. */
  endpoint: string;
}

/**
 * Registers this process's tracer provider (with W3C trace context propagation), exporting
 * spans in batches over OTLP/HTTP. Call it once, before anything creates spans; without it,
 * every tracer in the process is a no-op.
 */
export function startTracing({ serviceName, endpoint }: TracingOptions): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  return registerTracing(serviceName, new BatchSpanProcessor(exporter));
}

/** Registers a tracer provider that hands its spans to `processor` (tests pass an in-memory one). */
export function registerTracing(serviceName: string, processor: SpanProcessor): Tracing {
  const resource = resources.Resource.default().merge(new resources.Resource({ 'service.name': serviceName }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return { processor, resource, shutdown: () => provider.shutdown() };
}
