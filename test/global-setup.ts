import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { NormalModuleReplacementPlugin } from 'webpack';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowBundlerOptions } from '../apps/worker/src/workflow-bundle';
import { startTemporalDevServer, TEST_ENV } from './temporal';

/**
 * Once per jest run: start one real Temporal dev server (the project's own binary) and
 * bundle the workflow code once. Test files reach both through environment variables and
 * give every test its own task queue.
 */
export default async function globalSetup(): Promise<void> {
  const binary =
    process.env[TEST_ENV.binary] ??
    execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'temporal.mjs'), 'path'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  process.env[TEST_ENV.binary] = binary;

  const environment = await startTemporalDevServer(binary);
  process.env[TEST_ENV.address] = environment.address;
  (globalThis as { firebreakTemporal?: TestWorkflowEnvironment }).firebreakTemporal = environment;

  const testRunbooks = join(__dirname, 'runbooks');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // The interceptors the worker registers (traces, the request id), so tests run the same code.
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    // Tests run the shipped runbooks plus a few that exercise the engine (test/runbooks/).
    ...workflowBundlerOptions([
      new NormalModuleReplacementPlugin(/[\\/]runbooks[\\/]catalog$/, (resource: { context: string; request: string }) => {
        // The test catalog itself imports the shipped one: leave that import alone.
        if (!resource.context.startsWith(testRunbooks)) resource.request = join(testRunbooks, 'catalog.ts');
      }),
    ]),
    logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
  });
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'firebreak-test-')), 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env[TEST_ENV.bundle] = bundlePath;
}
