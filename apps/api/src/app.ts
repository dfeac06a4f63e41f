import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Request } from 'express';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { DestinationStream } from 'pino';
import type { Config } from '../../../core/schemas/config';
import { type IntegrationsConfig, loadIntegrationsConfig } from '../../../core/schemas/integrations-config';
import { loadOperatorConfig, type OperatorConfig, type OperatorFiles } from '../../../core/schemas/operator-config';
import type { RunbookDefinition } from '../../../core/model/runbook';
import { operatorFiles } from '../../../runbooks';
import { runbookCatalog } from '../../../runbooks/catalog';
import { CAPABILITY_FILES } from '../../../runbooks/capabilities';
import { checkRunbookUses, loadCapabilityDeclarations } from '../../../core/schemas/custom-capabilities';
import { GENERIC_ALERT_MAX_BYTES } from '../../../core/model/alert-bounds';
import { AppModule } from './app.module';
import { AuditMiddleware } from './audit/audit.middleware';
import type { SnsTransport } from './alerts/vendor-alerts.controller';
import { SnsSignatureVerifier } from './alerts/signatures/sns-signature';
import { resolveApiKeys } from './auth/api-keys';
import { serveConsole } from './web/console';
import { createLogger } from './observability/logger';
import { httpLogger, ObservabilityModule } from './observability/observability.module';
import { requestContextMiddleware } from './observability/request-context.middleware';
import { secretValues } from './observability/secrets';
import type { Tracing } from './observability/tracing';
import { DOCS_PATHS, docsAccess } from './auth/docs-access';

/** The largest request body each kind of route reads, in bytes (docs/limits.md says why). */
export const BODY_LIMITS = {
  /** `POST /v1/alerts`: one generic alert. */
  genericAlert: 2 * GENERIC_ALERT_MAX_BYTES,
  /** `POST /v1/alerts/<vendor>`: a whole Alertmanager, Grafana or SNS delivery. */
  vendorAlerts: 5 * 1024 * 1024,
  /** SNS posts JSON as text/plain; SNS messages are at most 256 KB. */
  snsText: 1024 * 1024,
  /** Twilio's SMS webhook: a form of a few short fields (an SMS body is at most 1,600 characters). */
  twilioForm: 64 * 1024,
  /** Slack's slash commands and interactions: an interaction carries the whole message it came from (up to 50 blocks). */
  slackRequest: 1024 * 1024,
  /** Every other route: commands, declarations, runbook inputs. */
  other: 1024 * 1024,
} as const;

const isJson = (request: Request) => (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
const routeOf = (request: Request) => (request.path ?? request.url).replace(/\/+$/, '');
const isGenericAlertRoute = (request: Request) => routeOf(request) === '/v1/alerts';
const isVendorAlertRoute = (request: Request) => routeOf(request).startsWith('/v1/alerts/');
const isTwilioSmsRoute = (request: Request) => routeOf(request) === '/v1/webhooks/twilio/sms';
const isSlackRoute = (request: Request) => routeOf(request).startsWith('/v1/chat/slack/');

export interface ApiAppOptions {
  /** Routes, escalation policies and heartbeat monitors, already loaded. */
  operator?: OperatorConfig;
  /** The operator's files to load and check; default: the files in `runbooks/`. */
  operatorFiles?: OperatorFiles;
  /** How the SNS route reaches SNS; default: HTTPS to SNS's own hosts only. */
  sns?: SnsTransport;
  /** The runbook catalog; default: the runbooks in `runbooks/catalog.ts`, checked. */
  runbooks?: ReadonlyMap<string, RunbookDefinition>;
  /** Integration settings (the API uses the SMS and Slack ones); default: read from the environment, as the worker does. */
  integrations?: IntegrationsConfig;
  /** Where log lines go; default standard output. */
  logs?: DestinationStream;
  /** The process's tracing, flushed when the API stops (main.ts starts it when configured). */
  tracing?: Tracing;
}

/** Builds the API (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApiApp(config: Config, options: ApiAppOptions = {}): Promise<INestApplication> {
  const operator = options.operator ?? loadOperatorConfig(options.operatorFiles ?? operatorFiles);
  const runbooks = options.runbooks ?? runbookCatalog();
  // The custom capabilities' declarations, and every runbook's `uses` among them (the worker checks their settings).
  checkRunbookUses(runbooks.values(), loadCapabilityDeclarations(CAPABILITY_FILES));
  const apiKeys = resolveApiKeys(config);
  const integrations = options.integrations ?? loadIntegrationsConfig(process.env);
  // JSON lines, secrets redacted (docs/operations.md, "Logs and traces").
  const logger = createLogger({
    service: 'firebreak-api',
    level: config.logLevel,
    secrets: secretValues({ config, apiKeys, settings: [integrations], env: process.env }),
    destination: options.logs,
  });
  const appModule = AppModule.forRoot({
    config,
    apiKeys,
    operator,
    runbooks,
    sns: options.sns ?? { verifier: new SnsSignatureVerifier(), get: fetch },
    integrations,
  });
  const app = await NestFactory.create<NestExpressApplication>(ObservabilityModule.around(appModule, logger, options.tracing), {
    bufferLogs: true,
    rawBody: true,
    bodyParser: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  // First of all: the request id and the server span, then the request's log line, so that
  // even a request the body limits refuse has them.
  app.use(requestContextMiddleware());
  app.use(httpLogger(logger));
  // The audit log records requests the body parsers refuse too (the rest when Nest routes them).
  app.use(app.get(AuditMiddleware).beforeParsing);
  // Slack signs the bytes it sent: its routes take the body raw, whatever its type, before any
  // other parser can, and read the form only once the signature holds.
  app.useBodyParser('raw', { type: isSlackRoute, limit: BODY_LIMITS.slackRequest });
  // Body limits per route (a larger body answers 413 naming the limit). Each parser takes
  // only its routes' JSON; the first that takes a request parses it, the others pass.
  // A generic alert is at most GENERIC_ALERT_MAX_BYTES as JSON: twice that leaves room for
  // whitespace, and anything bigger is not an alert.
  app.useBodyParser('json', { limit: BODY_LIMITS.genericAlert, type: (request: Request) => isJson(request) && isGenericAlertRoute(request) });
  // Vendor deliveries carry whatever their users wrote (a 3 MB description, a group of
  // thousands): they are read and cut to the alert limits rather than refused, so a page is
  // never lost to its size. Alertmanager retries a 5xx forever and drops a 4xx.
  app.useBodyParser('json', { limit: BODY_LIMITS.vendorAlerts, type: (request: Request) => isJson(request) && isVendorAlertRoute(request) });
  app.useBodyParser('json', { limit: BODY_LIMITS.other });
  // Twilio posts its webhooks as forms; no other route reads one.
  app.useBodyParser('urlencoded', { extended: false, limit: BODY_LIMITS.twilioForm, type: (request: Request) => isTwilioSmsRoute(request) && (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') });
  // SNS posts JSON with a text/plain content type.
  app.useBodyParser('text', { type: 'text/plain', limit: BODY_LIMITS.snsText });
  app.enableShutdownHooks();
  // The console at `/` and its client-side routes; the API's own paths pass through.
  serveConsole(app, config.webRoot);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Firebreak')
      .setDescription('Runbook engine for incident response: alerts, incidents, runbooks.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
      .addCookieAuth('firebreak_session', { type: 'apiKey', in: 'cookie', description: 'The console session from POST /v1/session (`__Host-firebreak_session` over HTTPS)' })
      .build(),
  );
  // The OpenAPI page and document are served outside Nest's router: guarded here (docs.read unless PUBLIC_DOCS).
  app.use(DOCS_PATHS, docsAccess(app));
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs-json' });
  return app;
}
