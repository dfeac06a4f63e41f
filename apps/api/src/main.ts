import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../core/schemas/config';
import { describeStartupFailure } from '../../../core/schemas/startup-errors';
import { createApiApp } from './app';
import { startTracing } from './observability/tracing';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Before the app exists, so every tracer it makes reports to this provider.
  const tracing = config.otelEndpoint
    ? startTracing({ serviceName: config.otelServiceName ?? 'firebreak-api', endpoint: config.otelEndpoint })
    : undefined;
  const app = await createApiApp(config, { tracing });
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  new Logger('api').log(`Firebreak API listening on ${url.replace('[::1]', 'localhost')} (docs at /docs)`);
}

main().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: say what, without a stack trace.
  console.error(describeStartupFailure(error));
  process.exit(1);
});
