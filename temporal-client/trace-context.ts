/**
 * The trace context as it travels through Temporal, and the spans workflows make. Imported by
 * workflow interceptors too, so it stays free of Node, of OpenTelemetry's SDK and of the
 * Temporal client.
 *
 * The header is OpenTelemetry's, as `@temporalio/interceptors-opentelemetry` writes and reads
 * it (a payload holding the W3C `traceparent` and `tracestate`), so the API's Temporal calls
 * and the worker's activity spans need nothing of ours to join the trace.
 */
import { defaultPayloadConverter, type Headers } from '@temporalio/common';

/** The Temporal header that carries the trace context (as the OpenTelemetry interceptors name it). */
export const TRACE_HEADER = '_tracer-data';

/** Where a span sits in its trace: W3C trace context fields, as lower-case hex. */
export interface TraceParent {
  traceId: string;
  spanId: string;
  /** The trace flags byte (`01`: sampled). */
  flags: number;
  traceState?: string;
}

/** A span a workflow made, as it crosses from the workflow's sandbox to the worker's exporter. */
export interface WorkflowSpan {
  name: string;
  context: TraceParent;
  parentSpanId: string;
  /** Epoch milliseconds, workflow time (the same on every replay). */
  startMs: number;
  endMs: number;
  attributes: Record<string, string>;
  /** Set when the call the span stands for failed: the failure's message. */
  error?: string;
}

/** Sink the workflow interceptors export their spans through (registered by the worker). */
export const WORKFLOW_SPAN_SINK = 'firebreakSpans';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO = /^0+$/;

/** The trace context in Temporal headers, or undefined when absent or not a valid W3C trace context. */
export function traceParentFromHeaders(headers: Headers | undefined): TraceParent | undefined {
  const payload = headers?.[TRACE_HEADER];
  if (!payload) return undefined;
  let carrier: unknown;
  try {
    carrier = defaultPayloadConverter.fromPayload(payload);
  } catch {
    return undefined;
  }
  if (typeof carrier !== 'object' || carrier === null) return undefined;
  const { traceparent, tracestate } = carrier as Record<string, unknown>;
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  if (!match || ZERO.test(match[1]!) || ZERO.test(match[2]!)) return undefined;
  const traceState = typeof tracestate === 'string' && tracestate.length > 0 && tracestate.length <= 512 ? tracestate : undefined;
  return { traceId: match[1]!, spanId: match[2]!, flags: parseInt(match[3]!, 16), ...(traceState ? { traceState } : {}) };
}

/** `headers` with `parent` as the trace context (replacing any), or as they are when there is none. */
export function headersWithTraceParent(headers: Headers, parent: TraceParent | undefined): Headers {
  if (parent === undefined) return headers;
  const carrier: Record<string, string> = { traceparent: `00-${parent.traceId}-${parent.spanId}-${parent.flags.toString(16).padStart(2, '0')}` };
  if (parent.traceState) carrier.tracestate = parent.traceState;
  return { ...headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) };
}

/**
 * A span id (16 hex digits, never all zeros) derived from `key` alone: a workflow replayed
 * from its history derives the same ids without drawing on its random numbers. FNV-1a, 64 bits.
 */
export function spanIdFor(key: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= BigInt(key.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (hash === 0n ? 1n : hash).toString(16).padStart(16, '0');
}
