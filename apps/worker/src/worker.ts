import { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { createPlatformActivities } from '../../../activities/platform';
import type { Config } from '../../../core/schemas/config';
import { type IntegrationsConfig, localIntegrations } from '../../../core/schemas/integrations-config';
import { workflowBundlerOptions } from './workflow-bundle';

export interface FirebreakWorkerOptions {
  config: Config;
  connection: NativeConnection;
  /**
   * Pre-bundled workflow code (tests bundle once per run). Without it the worker bundles
   * `workflows/` itself at start.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Which adapter each capability uses; every capability on its built-in local adapter by default. */
  integrations?: IntegrationsConfig;
  /**
   * The Temporal client activities use (the local status page is a workflow); by default one
   * on `connection` and the configured namespace.
   */
  temporalClient?: Client;
}

/** The Temporal worker: every Firebreak workflow and activity on one task queue. */
export async function createFirebreakWorker({
  config,
  connection,
  workflowBundle,
  integrations = localIntegrations(),
  temporalClient = new Client({ connection, namespace: config.temporal.namespace }),
}: FirebreakWorkerOptions) {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../../../workflows'), bundlerOptions: workflowBundlerOptions() }),
    activities: {
      ...createActivities({ config: integrations, temporal: temporalClient }),
      ...createPlatformActivities(temporalClient, config.temporal.taskQueue),
    },
  });
}
