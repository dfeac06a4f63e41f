/**
 * The real Firebreak worker (createFirebreakWorker) in a process of its own, for tests that
 * kill it: settings from its environment as in production (TEMPORAL_*, the integration
 * variables), the run's pre-bundled workflow code. Prints `ready` once polling.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import { loadConfig } from '../../core/schemas/config';
import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { workflowBundle } from '../temporal';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = loadConfig(process.env);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createFirebreakWorker({
    config,
    connection,
    workflowBundle: workflowBundle(),
    integrations: loadIntegrationsConfig(process.env),
  });
  const running = worker.run();
  console.log('ready');
  await running;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
