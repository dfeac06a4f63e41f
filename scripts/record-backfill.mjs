// `npm run record:backfill`: rebuilds the lasting record from Temporal for the incidents and
// runbook executions it still holds (open ones, and closed ones within retention). Safe to run
// again and while Firebreak runs. Needs DATABASE_URL (the embedded record's URL is printed by
// `npm start`) and reaches Temporal at TEMPORAL_ADDRESS; a worker should be running so that
// closed workflows without a result can still be queried. `-- --filter "<visibility query>"`
// narrows it (e.g. "StartTime > '2026-01-01T00:00:00Z'").
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureDependencies, runBin } from './setup.mjs';
import { ROOT } from './temporal.mjs';

const require = createRequire(import.meta.url);

ensureDependencies();
console.error('Building...');
runBin('tsc', ['-p', 'tsconfig.build.json']);
const { loadConfig } = require(join(ROOT, 'dist/core/schemas/config.js'));
const { RecordStore } = require(join(ROOT, 'dist/record/store.js'));
const { backfillRecord } = require(join(ROOT, 'dist/record/backfill.js'));
const { Client, Connection } = require('@temporalio/client');

const config = loadConfig(process.env);
if (!config.databaseUrl) {
  console.error('record:backfill needs DATABASE_URL: the PostgreSQL to fill (npm start prints the embedded one\'s).');
  process.exit(2);
}
const connection = await Connection.connect({ address: config.temporal.address });
const store = RecordStore.connect(config.databaseUrl);
try {
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const at = process.argv.indexOf('--filter');
  const filter = at > 0 ? process.argv[at + 1] : undefined;
  const result = await backfillRecord(client, store, { filter, log: (line) => console.error(line) });
  console.log(`Recorded ${result.incidents} incidents and ${result.executions} runbook executions from Temporal.`);
  for (const { workflowId, reason } of result.skipped.slice(0, 20)) console.error(`  skipped ${workflowId}: ${reason}`);
  if (result.skipped.length > 20) console.error(`  ... and ${result.skipped.length - 20} more skipped`);
  process.exitCode = result.skipped.length > 0 ? 1 : 0;
} finally {
  await store.close();
  await connection.close();
}
