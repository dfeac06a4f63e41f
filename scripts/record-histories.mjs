// Records fresh workflow histories of the shipped runbooks and of every workflow type into
// test/histories/, which the replay test checks today's code against. Run it when a change
// is meant to apply to new runs only, after guarding the change with patched().
import { ensureDependencies, runBin } from './setup.mjs';
import { ensureTemporal } from './temporal.mjs';

ensureDependencies();
const env = { ...process.env, FIREBREAK_TEMPORAL_BIN: ensureTemporal(), RECORD_HISTORIES: '1' };
runBin('jest', ['--ci', 'test/replay'], { env });
