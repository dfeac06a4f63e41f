import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../../../core/config';

export interface FirebreakWorkerOptions {
  config: Config;
  connection: NativeConnection;
  /**
   * Pre-bundled workflow code (tests bundle once per run). Without it the worker bundles
   * `workflows/` itself at start.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

/** The Temporal worker: every Firebreak workflow and activity on one task queue. */
export async function createFirebreakWorker({ config, connection, workflowBundle }: FirebreakWorkerOptions) {
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../../../workflows') }),
    activities: {},
  });
}
