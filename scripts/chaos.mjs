// `npm run chaos [-- flags]`: installs what is missing, builds Firebreak, the vendor stubs and
// the driver (tsc -p chaos/tsconfig.json into dist/chaos-build/, apart from the dist/ that
// `npm start` rebuilds), then runs the driver (dist/chaos-build/chaos/main.js), which starts
// `npm run cluster` (or, with --shape start, `npm start`) on that build and breaks it one
// fault per round. docs/chaos.md.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureDependencies, runBin } from './setup.mjs';
import { ROOT } from './temporal.mjs';

ensureDependencies();
runBin('tsc', ['-p', 'chaos/tsconfig.json']);
const driver = spawn(process.execPath, [join(ROOT, 'dist/chaos-build/chaos/main.js'), ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
// Ctrl-C reaches the driver too (same process group); it stops the cluster and writes what it has.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => driver.kill(signal));
driver.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
