import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../../../core/config';
import { createFirebreakWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const worker = await createFirebreakWorker({ config, connection });
    // The supervisor in scripts/start.mjs waits for this line.
    console.log(`Firebreak worker polling task queue "${config.temporal.taskQueue}" at ${config.temporal.address}`);
    // Worker.run() stops cleanly on SIGINT and SIGTERM, finishing the tasks in hand.
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
