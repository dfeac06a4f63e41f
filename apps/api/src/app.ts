import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import type { Config } from '../../../core/config';
import { AppModule } from './app.module';
import { resolveApiKeys } from './auth/api-keys';

const LOG_LEVELS: Record<Config['logLevel'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/** Builds the API (not yet listening): used by `main.ts` and by the end-to-end tests. */
export async function createApiApp(config: Config): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, resolveApiKeys(config)), {
    logger: LOG_LEVELS[config.logLevel],
    rawBody: true,
    bodyParser: false,
  });
  // Alertmanager groups can be large; the default 100 kB would refuse them.
  app.useBodyParser('json', { limit: '5mb' });
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
