import { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { type CustomActivities, loadCustomCapabilities, withCustomActivities } from '../../../activities/custom-capabilities';
import { createPlatformActivities } from '../../../activities/platform';
import { createOncallActivities } from '../../../activities/platform/oncall';
import { resolveAckSecret } from '../../../security/ack-secret';
import { loadOperatorConfig, type OperatorConfig } from '../../../core/schemas/operator-config';
import { operatorFiles } from '../../../runbooks';
import { CAPABILITY_FILES } from '../../../runbooks/capabilities';
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
  /** Responders and schedules, for resolving who is on call; by default the ones in `runbooks/`. */
  operator?: Pick<OperatorConfig, 'responders' | 'schedules'>;
  /**
   * The custom capabilities' activities (`runbooks/capabilities/`), built from their settings;
   * by default with none set, as an empty environment gives them.
   */
  capabilities?: CustomActivities;
}

/** The Temporal worker: every Firebreak workflow and activity on one task queue. */
export async function createFirebreakWorker({
  config,
  connection,
  workflowBundle,
  integrations = localIntegrations(),
  temporalClient = new Client({ connection, namespace: config.temporal.namespace }),
  operator = loadOperatorConfig(operatorFiles),
  capabilities = loadCustomCapabilities(CAPABILITY_FILES, {}),
}: FirebreakWorkerOptions) {
  const ackLinks = { secret: resolveAckSecret(config), publicUrl: config.publicUrl };
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../../../workflows'), bundlerOptions: workflowBundlerOptions() }),
    // A custom operation whose activity name a built-in one has stops start-up.
    activities: withCustomActivities(
      {
        ...createActivities({ config: integrations, temporal: temporalClient, responders: operator.responders, ackLinks }),
        ...createPlatformActivities(temporalClient, config.temporal.taskQueue),
        ...createOncallActivities(temporalClient, config.temporal.taskQueue, operator),
      },
      capabilities,
    ),
  });
}
