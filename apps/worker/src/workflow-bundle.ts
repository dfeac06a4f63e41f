/**
 * How Firebreak's workflow code is bundled, wherever it is: the worker (bundling at
 * start), the tests (once per run), the bench, the replay test.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { NormalModuleReplacementPlugin } from 'webpack';

type WebpackConfigHook = NonNullable<NonNullable<WorkerOptions['bundlerOptions']>['webpackConfigHook']>;
type WebpackConfig = Parameters<WebpackConfigHook>[0];

/** zod's locales, evaluated on first use instead of with zod in every workflow (lazy-zod-locales.ts). */
const lazyZodLocales = new NormalModuleReplacementPlugin(/^\.\.\/locales\/index\.cjs$/, (resource: { context: string; request: string }) => {
  if (/[\\/]zod[\\/]v4[\\/](classic|core)$/.test(resource.context)) resource.request = require.resolve('./lazy-zod-locales');
});

/** Firebreak's additions to the SDK's webpack configuration, then `extra`'s (tests add their runbooks). */
export function firebreakWebpackConfig(config: WebpackConfig, extra: WebpackConfig['plugins'] = []): WebpackConfig {
  return { ...config, plugins: [...(config.plugins ?? []), lazyZodLocales, ...extra] };
}

export const workflowBundlerOptions: NonNullable<WorkerOptions['bundlerOptions']> = {
  webpackConfigHook: (config) => firebreakWebpackConfig(config),
};
