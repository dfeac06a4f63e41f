/**
 * The shipped restart-unhealthy-deployment runbook on the real worker with the Kubernetes
 * adapter (`@kubernetes/client-node`) against the API server stub: it restarts crash-looping
 * pods once and completes when the rollout does; a restart that cannot roll out fails the run
 * with the controller's words and pages; a worker restarted mid-rollout resumes the wait
 * without restarting again; and past its budget it pages instead of acting.
 */
import { Client, Connection } from '@temporalio/client';
import type { runbookWorkflow } from '../../workflows/runbook';
import { sharedTemporalAddress, uniqueTaskQueue } from '../temporal';
import { startKubernetesStub } from '../vendors/kubernetes';
import { firebreakWorkerFromEnv, quietTemporalRuntime } from '../vendors/temporal-worker';
import { waitFor } from '../wait';
import { runOnRealWorker, stepsOf } from './real-adapters';

quietTemporalRuntime();

let deployments = 0;
/** A deployment of its own per test: the runbook's guardrails are per namespace and deployment, kept durably. */
const deploymentName = () => `checkout-${process.pid}-${++deployments}`;

describe('restart-unhealthy-deployment on Kubernetes (API server stub)', () => {
  let client: Client;
  let kube: Awaited<ReturnType<typeof startKubernetesStub>>;
  const settings = () => ({ ...kube.settings('shop'), KUBERNETES_POLL_INTERVAL_MS: '10', INTEGRATIONS_TIMEOUT_MS: '2000' });

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await client?.connection.close();
  });
  beforeEach(async () => {
    kube = await startKubernetesStub();
  });
  afterEach(() => kube.stop());

  it('restarts crash-looping pods once, waits for the rollout, and completes with the deployment healthy', async () => {
    const name = deploymentName();
    kube.seed({ name, replicas: 2, crashLooping: 'transient' });
    const { execution } = await runOnRealWorker(client, settings(), 'restart-unhealthy-deployment', { namespace: 'shop', deployment: name });
    expect(execution.status).toBe('completed');
    expect(stepsOf(execution)).toEqual([
      ['kubernetes.describeDeployment', 'completed'],
      ['kubernetes.restartDeployment', 'completed'],
      ['describe-after-restart', 'completed'],
    ]);
    expect(execution.outcome?.result).toMatchObject({ restarted: true, healthy: true, problemsAfter: [] });
    expect(execution.steps[1].result).toMatchObject({ namespace: 'shop', name, restarted: true, stable: true, revision: 2 });
    expect(kube.stub.count('deployment.restart')).toBe(1);
    const now = kube.view('shop', name);
    expect(now.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    expect(now.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe((execution.steps[1].result as { restartedAt: string }).restartedAt);
  });

  it('fails with the controller’s words and pages when the restarted pods crash too', async () => {
    const name = deploymentName();
    kube.seed({ name, replicas: 2, crashLooping: 'persistent', deadlineReads: 4 });
    const { execution } = await runOnRealWorker(client, settings(), 'restart-unhealthy-deployment', { namespace: 'shop', deployment: name });
    expect(execution.status).toBe('failed');
    expect(stepsOf(execution)).toEqual([
      ['kubernetes.describeDeployment', 'completed'],
      ['kubernetes.restartDeployment', 'failed'],
      ['paging.page', 'completed'],
    ]);
    expect(execution.outcome?.error).toMatch(new RegExp(`Kubernetes deployment shop/${name} ended ProgressDeadlineExceeded: ReplicaSet "${name}-[0-9a-f]{10}" has timed out progressing\\.`));
    expect(kube.stub.count('deployment.restart')).toBe(1);
  });

  it('resumes the wait on a restarted worker without restarting the deployment again', async () => {
    const name = deploymentName();
    kube.seed({ name, replicas: 2, crashLooping: 'transient' });
    kube.hold('shop', name);
    const taskQueue = uniqueTaskQueue('restart-deployment-resume');
    const env = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...settings() };
    const first = await firebreakWorkerFromEnv(env);
    const running = first.worker.run();
    const handle = await client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
      taskQueue,
      workflowId: `rbx-${taskQueue}`,
      args: [{ runbookId: 'restart-unhealthy-deployment', input: { namespace: 'shop', deployment: name }, launchedBy: 'test', trigger: 'manual' }],
    });
    await waitFor('the restart to wait on its rollout', () => kube.stub.count('deployment.restart') === 1 && kube.stub.calls('readDeployment').length >= 4);
    first.worker.shutdown();
    await running;
    await first.connection.close();

    kube.release('shop', name);
    const patchesBefore = kube.stub.calls('patchDeployment').length;
    const second = await firebreakWorkerFromEnv(env);
    const execution = await second.worker.runUntil(handle.result());
    await second.connection.close();
    expect(execution.status).toBe('completed');
    expect(execution.steps[1].result).toMatchObject({ restarted: true, stable: true });
    expect(kube.stub.count('deployment.restart')).toBe(1);
    expect(kube.stub.calls('patchDeployment')).toHaveLength(patchesBefore);
  });

  it('acts at most twice an hour per deployment, then pages instead', async () => {
    const name = deploymentName();
    kube.seed({ name, replicas: 1, crashLooping: 'transient' });
    // One worker for the three runs: the deployment's guardrail lives on its task queue.
    const taskQueue = uniqueTaskQueue('restart-deployment-budget');
    const { worker, connection } = await firebreakWorkerFromEnv({ TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...settings() });
    const run = async (n: number) => {
      const handle = await client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
        taskQueue,
        workflowId: `rbx-${taskQueue}-${n}`,
        args: [{ runbookId: 'restart-unhealthy-deployment', input: { namespace: 'shop', deployment: name }, launchedBy: 'test', trigger: 'manual' }],
      });
      return handle.result();
    };
    try {
      const [first, second, third] = await worker.runUntil(async () => [await run(1), await run(2), await run(3)]);
      expect(first.outcome?.result).toMatchObject({ restarted: true, healthy: true });
      expect(second.outcome?.result).toEqual({ restarted: false, reason: 'healthy' });
      expect(third.status).toBe('over-budget');
      expect(stepsOf(third)).toEqual([['paging.page', 'completed']]);
    } finally {
      await connection.close();
    }
    expect(kube.stub.count('deployment.restart')).toBe(1);
  });
});
