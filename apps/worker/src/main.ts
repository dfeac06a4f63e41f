import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../../core/schemas/config';
import { checkPagerDutyTargets, loadIntegrationsConfig } from '../../../core/schemas/integrations-config';
import { loadOperatorConfig } from '../../../core/schemas/operator-config';
import { describeStartupFailure } from '../../../core/schemas/startup-errors';
import { loadCustomCapabilities } from '../../../activities/custom-capabilities';
import { checkRunbookUses } from '../../../core/schemas/custom-capabilities';
import { operatorFiles } from '../../../runbooks';
import { CAPABILITY_FILES } from '../../../runbooks/capabilities';
import { runbookCatalog } from '../../../runbooks/catalog';
import { temporalConnectionOptions } from '../../../temporal-client/connection-options';
import { createLogger } from '../../api/src/observability/logger';
import { secretValues } from '../../api/src/observability/secrets';
import { startTracing } from '../../api/src/observability/tracing';
import { WorkerMetrics } from './metrics';
import { PinoTemporalLogger } from './observability';
import { createFirebreakWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const integrations = loadIntegrationsConfig(process.env);
  // JSON lines through the SDK's logger, so workflow and activity lines carry their ids; secrets redacted.
  const logger = createLogger({
    service: 'firebreak-worker',
    level: config.logLevel,
    secrets: secretValues({ config, settings: [integrations], env: process.env }),
  });
  // The SDK's native side forwards its lines too (it would print plain text otherwise).
  Runtime.install({ logger: new PinoTemporalLogger(logger), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } } });
  const tracing = config.otelEndpoint
    ? startTracing({ serviceName: config.otelServiceName ?? 'firebreak-worker', endpoint: config.otelEndpoint })
    : undefined;
  // Routes, policies and monitors are checked here too, so a mistake stops every process.
  const operator = loadOperatorConfig(operatorFiles);
  checkPagerDutyTargets(operator.escalationPolicies, integrations.paging);
  // Custom capabilities with their settings; every runbook's `uses` among them.
  const capabilities = loadCustomCapabilities(CAPABILITY_FILES, process.env);
  checkRunbookUses(runbookCatalog().values(), capabilities.declared);
  // mTLS when TEMPORAL_TLS_* are set: the certificate files are read (and checked) here.
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  // Response times, fed by the record's projection; served when WORKER_METRICS_PORT is set.
  const metrics = new WorkerMetrics();
  const metricsServer = config.workerMetricsPort === undefined ? undefined : await metrics.serve(config.host, config.workerMetricsPort);
  if (metricsServer) logger.info(`Firebreak worker metrics on http://${config.host}:${config.workerMetricsPort}/metrics`);
  try {
    const worker = await createFirebreakWorker({ config, connection, integrations, operator, capabilities, tracing, onMilestones: metrics.milestonesReached });
    // The supervisor in scripts/start.mjs waits for this line ("worker polling").
    logger.info(`Firebreak worker polling task queue "${config.temporal.taskQueue}" at ${config.temporal.address}`);
    // Worker.run() stops cleanly on SIGINT and SIGTERM, finishing the tasks in hand.
    await worker.run();
  } finally {
    metricsServer?.close();
    await connection.close();
    await tracing?.shutdown();
  }
}

main().catch((error: unknown) => {
  console.error(describeStartupFailure(error));
  process.exit(1);
});
