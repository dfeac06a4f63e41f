/**
 * The shipped scale-out-on-high-cpu runbook on the real worker with the ECS scaling adapter,
 * against moto: it reads the service, scales it out within its bounds once, and waits until
 * running equals desired (moto reports the new count at once).
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { Client, Connection } from '@temporalio/client';
import { sharedTemporalAddress } from '../temporal';
import { MOTO_REGION, useMotoServer } from '../vendors/moto';
import { quietTemporalRuntime } from '../vendors/temporal-worker';
import { runOnRealWorker, stepsOf } from './real-adapters';

quietTemporalRuntime();

describe('scale-out-on-high-cpu on ECS (moto)', () => {
  let client: Client;
  // The worker's ECS client takes credentials from the SDK's default chain, as in production.
  const aws = useMotoServer({ runningTasks: 2 });
  let clusters = 0;

  const settings = () => ({
    SCALING_PROVIDER: 'ecs',
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL_ECS: aws.moto.url,
    ECS_POLL_INTERVAL_MS: '20',
    ECS_WAIT_TIMEOUT_MS: '5000',
  });
  /** A service wanting `desiredCount` tasks on a cluster of its own (the runbook's budget is per cluster and service). */
  const service = async (desiredCount: number) => {
    const cluster = `cpu-${process.pid}-${++clusters}`;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const definition = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({ family: cluster, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
    );
    await aws.ecs.send(
      new CreateServiceCommand({ cluster, serviceName: 'api', taskDefinition: definition.taskDefinition!.taskDefinitionArn!, desiredCount }),
    );
    return cluster;
  };
  const describeApi = async (cluster: string) => (await aws.ecs.send(new DescribeServicesCommand({ cluster, services: ['api'] }))).services![0];

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  it('adds tasks within its bounds once and completes when the service is stable', async () => {
    const cluster = await service(2);
    const { execution, workflowId } = await runOnRealWorker(client, settings(), 'scale-out-on-high-cpu', { cluster, service: 'api', step: 2, max: 6 });
    expect(execution.status).toBe('completed');
    expect(execution.outcome?.result).toEqual({ scaled: true, from: 2, to: 4, resolved: true });
    expect(stepsOf(execution)).toEqual([
      ['scaling.describeService', 'completed'],
      ['scaling.scaleService', 'completed'],
    ]);
    expect(execution.steps[1].args).toMatchObject({ desiredCount: 4, min: 1, max: 6 });
    expect(execution.steps[1].result).toEqual({ previousCount: 2, desiredCount: 4, stable: true });
    expect(workflowId).toMatch(/^rbx-/);
    const now = await describeApi(cluster);
    expect([now.desiredCount, now.runningCount]).toEqual([4, 4]);
  });

  it('pages instead of scaling a service already at its maximum', async () => {
    const cluster = await service(2);
    const { execution } = await runOnRealWorker(client, settings(), 'scale-out-on-high-cpu', { cluster, service: 'api', max: 2 });
    expect(execution.status).toBe('completed');
    expect(execution.outcome?.result).toEqual({ scaled: false, reason: 'at-max', desiredCount: 2 });
    expect(stepsOf(execution)).toEqual([
      ['scaling.describeService', 'completed'],
      ['paging.page', 'completed'],
    ]);
    expect((await describeApi(cluster)).desiredCount).toBe(2);
  });
});
