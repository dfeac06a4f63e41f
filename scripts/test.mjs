// `npm test`: installs what is missing, then lint, type-check and every jest test against a
// real Temporal server. Arguments after `--` go to jest (e.g. `npm test -- test/alerts`).
import { join } from 'node:path';
import { ensureDependencies, run, runBin } from './setup.mjs';
import { ensureTemporal, ROOT } from './temporal.mjs';

ensureDependencies();
const temporal = ensureTemporal();
// The other tools the tests use (moto's ECS server, a real Alertmanager): installed once.
run('bash', [join(ROOT, 'scripts', 'install-test-tools.sh')]);
const env = { ...process.env, FIREBREAK_TEMPORAL_BIN: temporal };

console.error('\n== lint');
runBin('eslint', ['--max-warnings', '0', '.']);
console.error('\n== type-check');
runBin('tsc', ['-p', 'tsconfig.json', '--noEmit']);
console.error('\n== jest');
runBin('jest', ['--ci', ...process.argv.slice(2)], { env });
