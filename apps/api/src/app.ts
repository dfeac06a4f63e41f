import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { Config } from '../../../core/config';
import { loadOperatorConfig, type OperatorConfig, type OperatorFiles } from '../../../core/operator-config';
import type { RunbookDefinition } from '../../../core/runbook';
import { operatorFiles } from '../../../runbooks';
import { runbookCatalog } from '../../../runbooks/catalog';
import { AppModule } from './app.module';
import type { SnsTransport } from './alerts/vendor-alerts.controller';
import { SnsSignatureVerifier } from './alerts/signatures/sns-signature';
import { resolveApiKeys } from './auth/api-keys';

const LOG_LEVELS: Record<Config['logLevel'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

export interface ApiAppOptions {
  /** Routes, escalation policies and heartbeat monitors, already loaded. */
  operator?: OperatorConfig;
  /** The operator's files to load and check; default: the files in `runbooks/`. */
  operatorFiles?: OperatorFiles;
  /** How the SNS route reaches SNS; default: HTTPS to SNS's own hosts only. */
  sns?: SnsTransport;
  /** The runbook catalog; default: the runbooks in `runbooks/catalog.ts`, checked. */
  runbooks?: ReadonlyMap<string, RunbookDefinition>;
}

/** Builds the API (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApiApp(config: Config, options: ApiAppOptions = {}): Promise<INestApplication> {
  const operator = options.operator ?? loadOperatorConfig(options.operatorFiles ?? operatorFiles);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({
      config,
      apiKeys: resolveApiKeys(config),
      operator,
      runbooks: options.runbooks ?? runbookCatalog(),
      sns: options.sns ?? { verifier: new SnsSignatureVerifier(), get: fetch },
    }), {
    logger: LOG_LEVELS[config.logLevel],
    rawBody: true,
    bodyParser: false,
  });
  // Alertmanager groups can be large; the default 100 kB would refuse them.
  app.useBodyParser('json', { limit: '5mb' });
  // SNS posts JSON with a text/plain content type.
  app.useBodyParser('text', { type: 'text/plain', limit: '1mb' });
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Firebreak')
      .setDescription('Runbook engine for incident response: alerts, incidents, runbooks.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
      .build(),
  );
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs-json' });
  return app;
}
