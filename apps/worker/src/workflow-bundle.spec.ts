import { bundleWorkflowCode } from '@temporalio/worker';
import { SHARED_WORKFLOW_MODULES, workflowBundlerOptions } from './workflow-bundle';

describe('the workflow bundle', () => {
  it('loads the shared modules once per worker thread, before any workflow', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../../workflows'),
      ...workflowBundlerOptions(),
      logger: { trace() {}, debug() {}, info() {}, log() {}, warn() {}, error: console.error },
    });
    // The SDK calls this function while it prepares the worker thread's context. A module the
    // bundler judged free of side effects would be dropped from it silently (as `zod` is).
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    expect(preload).toMatch(/shared-zod\.[jt]s"\)/);
    expect(preload).toMatch(/workflows[\\/]index\.[jt]s"\)/);
    expect(preload.match(/__webpack_require__\(/g)).toHaveLength(SHARED_WORKFLOW_MODULES.length);
  });
});
