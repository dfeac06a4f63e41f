import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { REDACTED } from './log-format';
import type { Tracing } from './tracing';

/** Routes probed every few seconds: their lines are written at `debug`, not `info`. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Route parameters that are credentials (`/v1/ack/:token`): their values are left out of logged URLs. */
const SECRET_PARAM = /token|secret|key|signature/i;

/**
 * What a request line says of its request, as it ends (routed, so its parameters are
 * known): no headers, no body, no credential in its URL.
 */
function requestFields(request: Request): Record<string, unknown> {
  let url = request.originalUrl ?? request.url ?? '';
  for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
    if (SECRET_PARAM.test(name) && typeof value === 'string' && value.length > 0) url = url.split(value).join(REDACTED);
  }
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return { method: request.method, url, ...(typeof route === 'string' ? { route } : {}) };
}

/**
 * The request log: one line per request as it ends (`request completed`, its method, URL,
 * route, status and time), and the logger each request's lines go through, bound to its
 * request id. Mounted right after the request-context middleware, so requests refused before
 * routing (a body too large) are logged too.
 */
export function httpLogger(logger: Logger) {
  const withRequest = (request: IncomingMessage, _response: ServerResponse, fields: object) => ({ req: requestFields(request as Request), ...fields });
  return pinoHttp({
    logger,
    // The request-context middleware has set `id` already.
    genReqId: (request) => (request as IncomingMessage & { id?: string }).id ?? '',
    // Request and response lines bind the request id only; the request is described as it ends.
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    wrapSerializers: false,
    serializers: {
      req: (fields: unknown) => fields,
      res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
    },
    customSuccessObject: withRequest,
    customErrorObject: withRequest,
    // 500 is a fault; other 5xx (503 while Temporal is out of reach) are answered by design.
    customLogLevel: (request, response, error) => {
      if (error || response.statusCode === 500) return 'error';
      if (response.statusCode > 500) return 'warn';
      return PROBES.has((request.url ?? '').split('?')[0]) ? 'debug' : 'info';
    },
  });
}

/** Sends the spans still buffered when the API stops. */
class TracingShutdown implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}

  onApplicationShutdown(): Promise<void> {
    return this.tracing.shutdown();
  }
}

/**
 * Wraps the application module so Nest's logger writes through `logger`: inside a request,
 * through that request's logger (see {@link httpLogger}, which must be mounted first). With
 * `tracing`, the API flushes its spans as it stops.
 */
@Module({})
export class ObservabilityModule {
  static around(app: DynamicModule, logger: Logger, tracing?: Tracing): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }), app],
      providers: tracing ? [{ provide: TracingShutdown, useValue: new TracingShutdown(tracing) }] : [],
    };
  }
}
