import { OpenTelemetryInboundInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { TRACED_INBOUND_METHODS, TRACED_OUTBOUND_METHODS } from './observability-workflow-interceptors';

/** What a class's instances have as methods of their own prototype. */
const methodsOf = (type: { prototype: object }) =>
  Object.getOwnPropertyNames(type.prototype).filter((name) => name !== 'constructor' && typeof (type.prototype as Record<string, unknown>)[name] === 'function');

describe('the methods the tracing patch is asked in', () => {
  // Runs that recorded the patch asked it in each method OpenTelemetry's interceptors had;
  // the names are kept by hand so that no workflow loads OpenTelemetry.
  it("are OpenTelemetry's workflow interceptor methods, as the SDK has them", () => {
    expect([...TRACED_INBOUND_METHODS].sort()).toEqual(methodsOf(OpenTelemetryInboundInterceptor).sort());
    expect([...TRACED_OUTBOUND_METHODS].sort()).toEqual(methodsOf(OpenTelemetryOutboundInterceptor).sort());
  });
});
