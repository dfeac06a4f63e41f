// `npm test`: installs what is missing, then lint, type-check and every jest test against a
// real Temporal server. Arguments after `--` go to jest (e.g. `npm test -- test/alerts`).
import { ensureDependencies, runBin } from './setup.mjs';
import { ensureTemporal } from './temporal.mjs';

ensureDependencies();
const temporal = ensureTemporal();
const env = { ...process.env, FIREBREAK_TEMPORAL_BIN: temporal };

console.error('\n== lint');
runBin('eslint', ['--max-warnings', '0', '.']);
console.error('\n== type-check');
runBin('tsc', ['-p', 'tsconfig.json', '--noEmit']);
console.error('\n== jest');
runBin('jest', ['--ci', ...process.argv.slice(2)], { env });
