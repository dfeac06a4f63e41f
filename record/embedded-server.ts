/**
 * `RECORD_DIR=<folder> [RECORD_PORT=<port>] [RECORD_HOST=<ip>] node dist/record/embedded-server.js`:
 * the embedded record as its own process, which `npm start` supervises beside the worker and
 * the API when `DATABASE_URL` is unset. It prints `Firebreak record ready at <url>` once it
 * serves, and stops cleanly (the database flushed to its folder) on SIGINT or SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { startEmbeddedRecord } from './embedded';

/**
 * The record is a read model written in the background; on a box it shares with the worker
 * and the API, it runs at a lower CPU priority (Unix niceness 10) so that a write never
 * takes CPU from a page. Idle cores are still its own: it only yields when both are busy.
 */
const NICENESS = 10;

async function main(): Promise<void> {
  const { RECORD_DIR: dataDir, RECORD_PORT: portText = '0', RECORD_HOST: host = '127.0.0.1' } = process.env;
  if (!dataDir) throw new Error('RECORD_DIR must name the folder of the database');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`RECORD_PORT must be 0-65535, got ${portText}`);
  mkdirSync(dataDir, { recursive: true });
  lowerPriority();
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

function lowerPriority(): void {
  try {
    // Lower only: a process started nicer than that stays as it was.
    setPriority(0, Math.max(NICENESS, getPriority(0)));
  } catch (error) {
    // Not allowed here (a container's seccomp profile): the record still works, at normal priority.
    console.error(`the record runs at normal CPU priority: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`the embedded record did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
