/**
 * How Firebreak's workflow code is bundled, wherever it is: the worker (bundling at
 * start), the tests (once per run), the bench, the replay test.
 */
import type { WorkerOptions } from '@temporalio/worker';

type BundlerOptions = NonNullable<WorkerOptions['bundlerOptions']>;
type WebpackConfig = Parameters<NonNullable<BundlerOptions['webpackConfigHook']>>[0];

/**
 * Evaluated once per worker thread, before any workflow, and then shared by all of its
 * workflows (the SDK's `preloadModules`). Without this, a reused V8 context evaluates every
 * module a workflow loads again for each workflow: zod, and every workflow module with
 * its imports, on each incident's and each runbook's first task.
 *
 * The SDK freezes shared modules, and their module-level variables are common to every
 * workflow, so a shared module keeps no state of its own. Workflow modules keep theirs
 * inside the workflow function. Runbooks and command schemas are not shared: zod schemas
 * memoise into themselves, so they are built per workflow, loaded on first use
 * (workflows/lazy.ts). Which modules workflow code may import at run time is a folder rule
 * (core/model/, not core/schemas/): docs/decisions/2026-12-07-workflow-imports.md.
 */
export const SHARED_WORKFLOW_MODULES = [
  require.resolve('../../../workflows/shared-zod'),
  require.resolve('../../../workflows'),
  // Its one AsyncLocalStorage must be made once per thread, outside any workflow (it says why).
  require.resolve('./observability-workflow-interceptors'),
];

/**
 * Workflow interceptor modules, bundled with the workflow code: traces and the request id
 * (observability-workflow-interceptors.ts, which says why OpenTelemetry's sit behind a patch).
 * A worker bundling at start registers them as `interceptors.workflowModules`; a site that
 * bundles ahead passes them to `bundleWorkflowCode` as `workflowInterceptorModules`, so every
 * bundle runs the same code.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./observability-workflow-interceptors')];

/** The bundler options every bundling site uses; `plugins` go after the SDK's (tests swap runbooks in). */
export function workflowBundlerOptions(plugins: NonNullable<WebpackConfig['plugins']> = []): BundlerOptions {
  return {
    preloadModules: SHARED_WORKFLOW_MODULES,
    ...(plugins.length > 0 ? { webpackConfigHook: (config: WebpackConfig) => ({ ...config, plugins: [...(config.plugins ?? []), ...plugins] }) } : {}),
  };
}
