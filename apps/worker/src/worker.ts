import { Client } from '@temporalio/client';
import { type NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../../activities';
import { type CustomActivities, loadCustomCapabilities, withCustomActivities } from '../../../activities/custom-capabilities';
import { createPlatformActivities } from '../../../activities/platform';
import { createOncallActivities } from '../../../activities/platform/oncall';
import { createRecordActivities, type MilestoneObserver } from '../../../activities/platform/record';
import { createWebhookActivities } from '../../../activities/platform/webhooks';
import { RecordStore } from '../../../record/store';
import { loadWebhookSecrets } from '../../../core/schemas/webhooks-config';
import { resolveAckSecret } from '../../../security/ack-secret';
import { loadOperatorConfig, type OperatorConfig } from '../../../core/schemas/operator-config';
import { operatorFiles } from '../../../runbooks';
import { CAPABILITY_FILES } from '../../../runbooks/capabilities';
import type { Config } from '../../../core/schemas/config';
import { type IntegrationsConfig, localIntegrations, type Secret } from '../../../core/schemas/integrations-config';
import { firebreakClientInterceptors } from '../../../temporal-client/request-context';
import { workerObservability, type WorkerTracing } from './observability';
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
  /**
   * Responders and schedules, for resolving who is on call, and the outgoing webhook
   * subscriptions (none when absent); by default the ones in `runbooks/`.
   */
  operator?: Pick<OperatorConfig, 'responders' | 'schedules'> & Partial<Pick<OperatorConfig, 'webhooks'>>;
  /**
   * Each webhook subscription's signing secret, by subscription id; by default read from the
   * environment variables the subscriptions name (a missing one stops start-up).
   */
  webhookSecrets?: ReadonlyMap<string, Secret>;
  /**
   * The custom capabilities' activities (`runbooks/capabilities/`), built from their settings;
   * by default with none set, as an empty environment gives them.
   */
  capabilities?: CustomActivities;
  /** Where the worker's spans go, workflow spans included; none by default. */
  tracing?: WorkerTracing;
  /**
   * The lasting record the workflows write to; by default one on `config.databaseUrl`, closed
   * when the worker stops. Without either, the record's activities do nothing (workflows call
   * them all the same).
   */
  record?: RecordStore;
  /** Told of each response milestone (acknowledged, mitigated, resolved) the record counts, once each. */
  onMilestones?: MilestoneObserver;
}

/** The Temporal worker: every Firebreak workflow and activity on one task queue. */
export async function createFirebreakWorker({
  config,
  connection,
  workflowBundle,
  integrations = localIntegrations(),
  temporalClient = new Client({ connection, namespace: config.temporal.namespace, interceptors: firebreakClientInterceptors() }),
  operator = loadOperatorConfig(operatorFiles),
  capabilities = loadCustomCapabilities(CAPABILITY_FILES, {}),
  webhookSecrets,
  tracing,
  record,
  onMilestones,
}: FirebreakWorkerOptions) {
  const ackLinks = { secret: resolveAckSecret(config), publicUrl: config.publicUrl };
  const subscriptions = operator.webhooks ?? [];
  const webhooks = { subscriptions, secrets: webhookSecrets ?? loadWebhookSecrets(subscriptions, process.env), publicUrl: config.publicUrl };
  const owned = !record && config.databaseUrl ? RecordStore.connect(config.databaseUrl) : undefined;
  const store = record ?? owned;
  // Migrations now rather than at the first write; a record that is down only delays them (each write tries again).
  store?.ensureReady().catch((error: unknown) => {
    Runtime.instance().logger.warn(`The incident record is not ready yet; writes wait for it: ${error instanceof Error ? error.message : String(error)}`);
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Traces and the request id (observability.ts); spans go nowhere without `tracing`.
    ...workerObservability({ tracing, bundles: !workflowBundle }),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../../../workflows'), bundlerOptions: workflowBundlerOptions() }),
    // A custom operation whose activity name a built-in one has stops start-up.
    activities: withCustomActivities(
      {
        ...createActivities({ config: integrations, temporal: temporalClient, responders: operator.responders, ackLinks }),
        ...createPlatformActivities(temporalClient, config.temporal.taskQueue),
        ...createOncallActivities(temporalClient, config.temporal.taskQueue, operator),
        ...createWebhookActivities(temporalClient, config.temporal.taskQueue, webhooks),
        ...createRecordActivities(store, onMilestones),
      },
      capabilities,
    ),
  }).catch(async (error: unknown) => {
    await owned?.close();
    throw error;
  });
  if (!owned) return worker;
  // The store this worker opened is closed once it has stopped (run() returns after the last task).
  const run = worker.run.bind(worker);
  worker.run = () => run().finally(() => owned.close());
  return worker;
}
