// `npm test`: installs what is missing, then lint, type-check and every jest test against a
// real Temporal server. Arguments after `--` go to jest (e.g. `npm test -- test/alerts`).
import { join } from 'node:path';
import { ensureDependencies, run, runBin } from './setup.mjs';
import { ensureTemporal, ROOT } from './temporal.mjs';
import { ensureTemporalServer } from './temporal-server.mjs';
import { ensureConsole } from './web.mjs';

ensureDependencies();
const temporal = ensureTemporal();
// npm run cluster's Temporal server (test/deploy/cluster.e2e.spec.ts): built once with Go, before jest's timeouts start.
if (process.env.FIREBREAK_SKIP_CLUSTER !== '1') ensureTemporalServer();
// The other tools the tests use (moto's ECS server, a real Alertmanager, Debian's chromium): installed once.
run('bash', [join(ROOT, 'scripts', 'install-test-tools.sh')]);
// The browser tests (test/browser/) drive the built console; built here once, before jest's
// workers start, when it is missing or older than its sources.
await ensureConsole().catch((error) => {
  console.error(`\n${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
const env = { ...process.env, FIREBREAK_TEMPORAL_BIN: temporal };

console.error('\n== lint');
runBin('eslint', ['--max-warnings', '0', '.']);
console.error('\n== type-check');
runBin('tsc', ['-p', 'tsconfig.json', '--noEmit']);
// The console is browser code with its own settings (DOM types, JSX); the root config leaves it out.
runBin('tsc', ['-p', join('apps', 'web'), '--noEmit']);
console.error('\n== jest');
runBin('jest', ['--ci', ...process.argv.slice(2)], { env });
