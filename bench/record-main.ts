/**
 * `node dist/bench-build/bench/record-main.js [--quick]`: the record scenario alone
 * (bench/scenarios/record.ts), printed as JSON and written to bench/results/record.json.
 * Run from the repository root after `tsc -p bench/tsconfig.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordScenario } from './scenarios/record';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const root = process.cwd();
  const embeddedServer = resolve(__dirname, '..', 'record', 'embedded-server.js');
  const options = quick ? { incidents: 10_000, searches: 100, reports: 10, warmup: 5 } : { incidents: 100_000, searches: 500, reports: 30, warmup: 10 };
  const result = await recordScenario(root, embeddedServer, options, (line) => console.error(line));
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'record.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (!result.servers.every((server) => server.met)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
