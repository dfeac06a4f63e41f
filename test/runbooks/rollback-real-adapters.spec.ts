/**
 * The shipped rollback-bad-deploy runbook on the real worker, with each real deploy adapter:
 * GitHub (a stub whose CD system advances the deployment's statuses), ECS (moto) and Octopus
 * (a stub the official client talks to). The rollback waits for the vendor's verdict; when
 * the vendor fails it, the run fails with the vendor's words and rolls forward.
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { Client, Connection } from '@temporalio/client';
import type { runbookWorkflow } from '../../workflows/runbook';
import { sharedTemporalAddress, uniqueTaskQueue } from '../temporal';
import { githubSettings, startGithubStub } from '../vendors/github';
import { MOTO_REGION, useMotoServer } from '../vendors/moto';
import { octopusSettings, startOctopusStub } from '../vendors/octopus';
import { firebreakWorkerFromEnv, quietTemporalRuntime } from '../vendors/temporal-worker';
import { waitFor } from '../wait';
import { runOnRealWorker, stepsOf } from './real-adapters';

quietTemporalRuntime();

const sha = (n: number) => String(n).repeat(40).slice(0, 40);
/** Fast looks at a deployment, so a wait of a few statuses takes milliseconds. */
const FAST = { DEPLOY_POLL_INTERVAL_MS: '10', INTEGRATIONS_TIMEOUT_MS: '2000' };
let services = 0;
/** A service name of its own per run: the runbook's budget allows one rollback per service per 30 minutes. */
const serviceName = () => `shop-${process.pid}-${++services}`;

describe('rollback-bad-deploy on its real adapters', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  describe('GitHub', () => {
    let github: Awaited<ReturnType<typeof startGithubStub>>;

    beforeEach(async () => {
      github = await startGithubStub('acme', 'shop');
      github.seed(sha(1), 'v41', ['in_progress', 'success']);
      github.seed(sha(2), 'v42', ['in_progress', 'success']);
    });
    afterEach(() => github.stub.stop());

    it('rolls back to the last good commit and completes once its statuses reach success', async () => {
      const service = serviceName();
      const { execution, workflowId } = await runOnRealWorker(client, { ...githubSettings(github.stub.url), ...FAST }, 'rollback-bad-deploy', {
        service,
        scope: 'acme/shop',
      });
      expect(execution.status).toBe('completed');
      expect(execution.outcome?.result).toEqual({ rolledBack: true, ref: sha(1), deploymentId: '3' });
      expect(stepsOf(execution)).toEqual([
        ['deploy.findReleases', 'completed'],
        ['deploy.rollback', 'completed'],
      ]);
      expect(execution.steps[1].result).toEqual({ deploymentId: '3', ref: sha(1), created: true, stable: true, state: 'success' });
      expect(github.stub.count('deployment.create')).toBe(1);
      const rollback = github.deployments[2];
      expect(rollback.payload).toEqual({ firebreak: { idempotency_key: `${workflowId}/deploy.rollback`, rollback_of: '1' } });
      expect(rollback.statuses.map((status) => status.state)).toEqual(['success', 'in_progress', 'queued']);
    });

    it('fails with GitHub\'s words when the rollback deployment fails, and rolls forward to what ran', async () => {
      github.deployWith({ states: ['queued', 'in_progress', 'failure'], description: 'smoke tests failed on 2 of 3 hosts' }, sha(1));
      const { execution, workflowId } = await runOnRealWorker(client, { ...githubSettings(github.stub.url), ...FAST }, 'rollback-bad-deploy', {
        service: serviceName(),
        scope: 'acme/shop',
      });
      expect(execution.status).toBe('failed');
      expect(execution.outcome?.error).toMatch(/GitHub deployment 3 of 1{40} to production ended failure: smoke tests failed on 2 of 3 hosts/);
      expect(stepsOf(execution)).toEqual([
        ['deploy.findReleases', 'completed'],
        ['deploy.rollback', 'failed'],
        ['roll-forward', 'completed'],
      ]);
      // The failure was final: one deployment for the rollback (not retried), one to roll forward.
      expect(github.stub.count('deployment.create')).toBe(2);
      const [rollback, forward] = github.deployments.slice(2);
      expect([rollback.sha, rollback.statuses[0].state]).toEqual([sha(1), 'failure']);
      expect([forward.sha, forward.statuses[0].state]).toEqual([sha(2), 'success']);
      expect(forward.payload).toMatchObject({ firebreak: { idempotency_key: `${workflowId}/roll-forward` } });
    });

    it('resumes, after its worker shut down mid-wait, on the deployment the first attempt made', async () => {
      // The CD system starts the rollback and then holds it in progress until told.
      github.deployWith({ states: ['queued', 'in_progress'] });
      const taskQueue = uniqueTaskQueue('rollback-restart');
      const settings = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...githubSettings(github.stub.url), ...FAST };
      const first = await firebreakWorkerFromEnv(settings);
      const running = first.worker.run();
      const handle = await client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
        taskQueue,
        workflowId: `rbx-${taskQueue}`,
        args: [{ runbookId: 'rollback-bad-deploy', input: { service: serviceName(), scope: 'acme/shop' }, launchedBy: 'test', trigger: 'manual' }],
      });
      await waitFor('the rollback to wait on its deployment', () => github.deployments[2]?.statuses.some((status) => status.state === 'in_progress'));
      first.worker.shutdown();
      await running;
      await first.connection.close();

      const searches = github.stub.calls('listDeployments').length;
      github.deployments[2].pending.push('success');
      const second = await firebreakWorkerFromEnv(settings);
      const execution = await second.worker.runUntil(handle.result());
      await second.connection.close();

      expect(execution.status).toBe('completed');
      expect(execution.steps[1].result).toEqual({ deploymentId: '3', ref: sha(1), created: false, stable: true, state: 'success' });
      expect(github.stub.count('deployment.create')).toBe(1);
      // The retried attempt took the deployment from the first one's heartbeat: no search.
      expect(github.stub.calls('listDeployments').length).toBe(searches);
    });

    it('retries GitHub\'s 5xx and 429 while waiting, on the same deployment', async () => {
      github.stub.fail('listStatuses', { status: 502, body: { message: 'Server Error' } }, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } });
      const { execution } = await runOnRealWorker(client, { ...githubSettings(github.stub.url), ...FAST }, 'rollback-bad-deploy', {
        service: serviceName(),
        scope: 'acme/shop',
      });
      expect(execution.status).toBe('completed');
      expect(execution.steps[1].result).toMatchObject({ deploymentId: '3', stable: true, state: 'success' });
      expect(github.stub.count('deployment.create')).toBe(1);
    });
  });

  describe('ECS (moto)', () => {
    // The worker's ECS client takes credentials from the SDK's default chain, as in production.
    const aws = useMotoServer({ runningTasks: 2 });

    it('points the service back at its previous task definition and completes once it is stable', async () => {
      const service = serviceName();
      await aws.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
      const register = async () =>
        (await aws.ecs.send(new RegisterTaskDefinitionCommand({ family: service, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] })))
          .taskDefinition!.taskDefinitionArn!;
      const [v1, v2] = [await register(), await register()];
      await aws.ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: service, taskDefinition: v2, desiredCount: 2 }));

      const settings = { DEPLOY_PROVIDER: 'ecs', AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL_ECS: aws.moto.url, ECS_POLL_INTERVAL_MS: '20', ECS_WAIT_TIMEOUT_MS: '5000' };
      const { execution } = await runOnRealWorker(client, settings, 'rollback-bad-deploy', { service, scope: 'prod' });
      expect(execution.status).toBe('completed');
      expect(execution.outcome?.result).toMatchObject({ rolledBack: true, ref: v1 });
      expect(execution.steps[1].result).toMatchObject({ ref: v1, created: true, stable: true, state: 'COMPLETED' });
      const now = (await aws.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: [service] }))).services![0];
      expect(now.taskDefinition).toBe(v1);
    });
  });

  describe('Octopus', () => {
    let octopus: Awaited<ReturnType<typeof startOctopusStub>>;

    beforeEach(async () => {
      octopus = await startOctopusStub({ projects: ['shop'], environments: ['Production'] });
      octopus.seed('shop', '1.4.1', 'Production', 'Success');
      octopus.seed('shop', '1.4.2', 'Production', 'Success');
    });
    afterEach(() => octopus.stub.stop());

    it('redeploys the previous successful release and completes once its task succeeds', async () => {
      const { execution } = await runOnRealWorker(client, { ...octopusSettings(octopus.stub.url), ...FAST }, 'rollback-bad-deploy', {
        service: serviceName(),
        scope: 'shop',
        environment: 'Production',
      });
      expect(execution.status).toBe('completed');
      expect(execution.outcome?.result).toEqual({ rolledBack: true, ref: '1.4.1', deploymentId: 'Deployments-3' });
      expect(execution.steps[1].result).toEqual({ deploymentId: 'Deployments-3', ref: '1.4.1', created: true, stable: true, state: 'Success' });
      expect(octopus.stub.count('deployment.create')).toBe(1);
      expect(octopus.stub.calls('createDeployment')[0].body).toMatchObject({ ProjectName: 'shop', ReleaseVersion: '1.4.1', EnvironmentNames: ['Production'] });
      expect(octopus.taskOf('Deployments-3')?.State).toBe('Success');
    });

    it('fails with Octopus\'s words when the task fails, and redeploys the release that ran', async () => {
      octopus.runWith({ states: ['Queued', 'Executing', 'Failed'], error: 'Step 2 (Deploy web) failed: health check returned 503' }, '1.4.1');
      const { execution } = await runOnRealWorker(client, { ...octopusSettings(octopus.stub.url), ...FAST }, 'rollback-bad-deploy', {
        service: serviceName(),
        scope: 'shop',
        environment: 'Production',
      });
      expect(execution.status).toBe('failed');
      expect(execution.outcome?.error).toMatch(/ended Failed: Step 2 \(Deploy web\) failed: health check returned 503/);
      expect(stepsOf(execution)).toEqual([
        ['deploy.findReleases', 'completed'],
        ['deploy.rollback', 'failed'],
        ['roll-forward', 'completed'],
      ]);
      expect(octopus.stub.calls('createDeployment').map((call) => call.body.ReleaseVersion)).toEqual(['1.4.1', '1.4.2']);
    });
  });
});
