/**
 * The real Firebreak worker (createFirebreakWorker) in a process of its own, for tests that
 * kill it: settings from its environment as in production (TEMPORAL_*, the integration
 * variables), the run's pre-bundled workflow code. Prints `ready` once polling.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { firebreakWorkerFromEnv } from './temporal-worker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { worker } = await firebreakWorkerFromEnv(process.env);
  const running = worker.run();
  console.log('ready');
  await running;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
