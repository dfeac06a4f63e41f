/**
 * `RECORD_DIR=<folder> [RECORD_PORT=<port>] [RECORD_HOST=<ip>] node dist/record/embedded-server.js`:
 * the embedded record as its own process, which `npm start` supervises beside the worker and
 * the API when `DATABASE_URL` is unset. It prints `Firebreak record ready at <url>` once it
 * serves, and stops cleanly (the database flushed to its folder) on SIGINT or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { startEmbeddedRecord } from './embedded';

async function main(): Promise<void> {
  const { RECORD_DIR: dataDir, RECORD_PORT: portText = '0', RECORD_HOST: host = '127.0.0.1' } = process.env;
  if (!dataDir) throw new Error('RECORD_DIR must name the folder of the database');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`RECORD_PORT must be 0-65535, got ${portText}`);
  mkdirSync(dataDir, { recursive: true });
  const record = await startEmbeddedRecord({ dataDir, port, host });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    record.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`the record did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // scripts/start.mjs waits for this line and hands the URL to the worker and the API.
  console.log(`Firebreak record ready at ${record.url}`);
}

main().catch((error: unknown) => {
  console.error(`the embedded record did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
