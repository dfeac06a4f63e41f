import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultPayloadConverter } from '@temporalio/common';
import fc from 'fast-check';
import { headersWithTraceParent, spanIdFor, TRACE_HEADER, traceParentFromHeaders } from './trace-context';

const header = (carrier: unknown) => ({ [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) });
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

describe('the trace context through Temporal headers', () => {
  it('reads what OpenTelemetry\'s propagator writes, and writes what it reads', () => {
    const propagator = new W3CTraceContextPropagator();
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(context.active(), spanContext), carrier, { set: (c, k, v) => ((c as Record<string, string>)[k] = v) });

    const parent = traceParentFromHeaders(header(carrier));
    expect(parent).toEqual({ traceId: spanContext.traceId, spanId: spanContext.spanId, flags: 1 });

    const written = defaultPayloadConverter.fromPayload<Record<string, string>>(headersWithTraceParent({}, { ...parent!, spanId: 'aaaaaaaaaaaaaaaa', traceState: 'vendor=1' })[TRACE_HEADER]!);
    const extracted = trace.getSpanContext(propagator.extract(context.active(), written, { get: (c, k) => (c as Record<string, string>)[k], keys: (c) => Object.keys(c as object) }));
    expect(extracted).toMatchObject({ traceId: spanContext.traceId, spanId: 'aaaaaaaaaaaaaaaa', traceFlags: 1, isRemote: true });
    expect(extracted?.traceState?.get('vendor')).toBe('1');
    propagation.disable();
  });

  it('ignores headers that hold no valid trace context, and keeps headers as they are without one', () => {
    for (const carrier of [{}, { traceparent: '' }, { traceparent: '00-' + '0'.repeat(32) + '-00f067aa0ba902b7-01' }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-' + '0'.repeat(16) + '-01' }, { traceparent: 'ff-x' }, 'text', null, 42]) {
      expect(traceParentFromHeaders(header(carrier))).toBeUndefined();
    }
    expect(traceParentFromHeaders({ [TRACE_HEADER]: { metadata: { encoding: new TextEncoder().encode('binary/unknown') }, data: new Uint8Array([1]) } })).toBeUndefined();
    expect(traceParentFromHeaders(undefined)).toBeUndefined();
    const headers = { other: defaultPayloadConverter.toPayload('kept') };
    expect(headersWithTraceParent(headers, undefined)).toBe(headers);
  });

  it('round-trips any valid trace parent', () => {
    fc.assert(
      fc.property(hex(32), hex(16), fc.integer({ min: 0, max: 255 }), (traceId, spanId, flags) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        expect(traceParentFromHeaders(headersWithTraceParent({}, { traceId, spanId, flags }))).toEqual({ traceId, spanId, flags });
      }),
    );
  });

  it('derives span ids from the key alone: 16 hex digits, never zero, the same for the same key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (key) => {
        const id = spanIdFor(key);
        expect(id).toMatch(/^[0-9a-f]{16}$/);
        expect(id).not.toBe('0'.repeat(16));
        expect(spanIdFor(key)).toBe(id);
      }),
    );
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => spanIdFor(`run-1:update:${i}`)));
    expect(ids.size).toBe(10_000);
  });
});
