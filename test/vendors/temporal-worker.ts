/** Running Firebreak's activities on a real worker in adapter tests. */
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import { loadCustomCapabilities } from '../../activities/custom-capabilities';
import { CAPABILITY_FILES } from '../../runbooks/capabilities';
import { loadConfig } from '../../core/schemas/config';
import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { sharedTemporalAddress, workflowBundle } from '../temporal';

/**
 * Quiet worker chatter: these tests fail activities on purpose, so the worker's warnings
 * about them are noise; errors still show. Once per process.
 */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Installed already (by another helper in this test file).
  }
}

/**
 * The real Firebreak worker (`createFirebreakWorker`) built from settings as production builds
 * it (`TEMPORAL_*`, the integration variables and the custom capabilities' settings in `env`), on the run's pre-bundled workflow
 * code. The caller runs it and closes the connection.
 */
export async function firebreakWorkerFromEnv(env: Record<string, string | undefined>): Promise<{ worker: Worker; connection: NativeConnection }> {
  const config = loadConfig(env);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createFirebreakWorker({
    config,
    connection,
    workflowBundle: workflowBundle(),
    integrations: loadIntegrationsConfig(env),
    capabilities: loadCustomCapabilities(CAPABILITY_FILES, env),
  });
  return { worker, connection };
}

/** The test-only {@link stepWorkflow}, bundled (a few seconds: once per test file). */
export async function bundleStepWorkflow(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./step-workflow'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  return code;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** A worker on `taskQueue` running the step workflow and the activities `env` configures. */
export async function startStepWorker(options: {
  taskQueue: string;
  code: string;
  env: Record<string, string>;
  client: Client;
  address?: string;
}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address ?? sharedTemporalAddress() });
  const worker = await Worker.create({
    connection,
    taskQueue: options.taskQueue,
    workflowBundle: { code: options.code },
    activities: createActivities({ config: loadIntegrationsConfig(options.env), temporal: options.client }),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
