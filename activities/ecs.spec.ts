import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { type EcsSettings, loadIntegrationsConfig } from '../core/schemas/integrations-config';
import { activityEnvironment, expectFailure, expectTransientFaultsRetried } from '../test/vendors/activity';
import { MOTO_CREDENTIALS, MOTO_REGION, recordCommands, useMotoServer } from '../test/vendors/moto';
import { StubServer } from '../test/vendors/stub-server';
import { EcsDeploy } from './deploy/ecs';
import { createDeployActivities } from './deploy/port';
import { createEcsClient, EcsServices } from './ecs-service';
import { EcsScaling } from './scaling/ecs';
import { createScalingActivities } from './scaling/port';

describe('ECS deploy and scaling (@aws-sdk/client-ecs against moto)', () => {
  const aws = useMotoServer({ runningTasks: 2 });
  let cluster: string;
  let sequence = 0;

  const settingsFor = (endpoint: string, extra: Record<string, string> = {}) =>
    loadIntegrationsConfig({
      DEPLOY_PROVIDER: 'ecs',
      SCALING_PROVIDER: 'ecs',
      AWS_REGION: MOTO_REGION,
      AWS_ENDPOINT_URL_ECS: endpoint,
      ECS_POLL_INTERVAL_MS: '20',
      ECS_WAIT_TIMEOUT_MS: '1000',
      INTEGRATIONS_TIMEOUT_MS: '2000',
      ...extra,
    });

  /** The adapters as the worker builds them, and the ECS commands they send. */
  const adaptersFor = (endpoint = aws.moto.url, extra: Record<string, string> = {}) => {
    const config = settingsFor(endpoint, extra);
    const settings = config.deploy as EcsSettings;
    const client = createEcsClient(settings, config.timeoutMs, MOTO_CREDENTIALS);
    const sent = recordCommands(client);
    const services = new EcsServices(client, settings);
    return {
      sent,
      ...createDeployActivities(new EcsDeploy(services)),
      ...createScalingActivities(new EcsScaling(services)),
    };
  };

  const service = async (name: string, desiredCount: number) => {
    const family = `${name}-${sequence}`;
    const register = () =>
      aws.ecs.send(
        new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
      );
    const v1 = (await register()).taskDefinition!.taskDefinitionArn!;
    const v2 = (await register()).taskDefinition!.taskDefinitionArn!;
    await aws.ecs.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: v2, desiredCount }));
    return { v1, v2, ref: { cluster, service: name } };
  };

  const describe_ = async (name: string) =>
    (await aws.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0];

  beforeEach(async () => {
    cluster = `prod-${++sequence}`;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  });

  it('rolls a service back to its previous task definition revision, once, and verifies it is stable', async () => {
    const { v1, v2, ref } = await service('web', 2);
    const env = activityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const { deployFindReleases, deployRollback, sent } = adaptersFor();
    const target = { service: 'web', scope: cluster };

    const releases = await env.run(deployFindReleases, { target });
    expect(releases).toEqual({
      current: { ref: v2, id: '2', createdAt: expect.any(String) },
      previousGood: { ref: v1, id: '1' },
    });

    const rollback = { idempotencyKey: 'inc-8/rollback', target, to: releases.previousGood! };
    const first = await env.run(deployRollback, rollback);
    expect(first).toEqual({ deploymentId: expect.stringMatching(/^ecs-svc\//), ref: v1, created: true, stable: true, state: 'COMPLETED' });
    expect((await describe_('web')).taskDefinition).toBe(v1);
    expect(heartbeats.length).toBeGreaterThan(0);

    const again = await env.run(deployRollback, rollback);
    expect(again).toEqual({ ...first, created: false });
    expect(sent.filter((command) => command === 'UpdateServiceCommand')).toHaveLength(1);
    expect(ref).toEqual({ cluster, service: 'web' });
  });

  it('scales within bounds once, refuses counts outside them, and describes the service', async () => {
    const { ref } = await service('api', 2);
    const env = activityEnvironment();
    const { scalingScaleService, scalingDescribeService, sent } = adaptersFor();

    const scale = { idempotencyKey: 'inc-9/scale', ref, desiredCount: 5, min: 2, max: 6 };
    expect(await env.run(scalingScaleService, scale)).toEqual({ previousCount: 2, desiredCount: 5, stable: true });
    expect(await env.run(scalingScaleService, scale)).toEqual({ previousCount: 5, desiredCount: 5, stable: true });
    expect(sent.filter((command) => command === 'UpdateServiceCommand')).toHaveLength(1);
    expect((await describe_('api')).desiredCount).toBe(5);

    await expectFailure(env.run(scalingScaleService, { ...scale, desiredCount: 7 }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /desired count 7 is outside \[2, 6\]/,
    });
    await expectFailure(env.run(scalingScaleService, { ...scale, min: 8 }), { type: CapabilityFailure.InvalidInput, nonRetryable: true });
    expect((await describe_('api')).desiredCount).toBe(5);

    const description = await env.run(scalingDescribeService, { ref });
    expect(description).toMatchObject({ ref, desiredCount: 5, runningCount: 5, pendingCount: 0, taskDefinition: expect.stringContaining(':2') });
    expect(description.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY' })]);
  });

  it('waits for a service that does not settle, heartbeating, and answers stable: false at the bound', async () => {
    // moto reports 2 running tasks for a new service: one that wants 3 never settles.
    const { ref } = await service('worker', 3);
    const env = activityEnvironment();
    let heartbeats = 0;
    env.on('heartbeat', () => (heartbeats += 1));
    const { scalingScaleService } = adaptersFor(aws.moto.url, { ECS_WAIT_TIMEOUT_MS: '1000' });
    const result = await env.run(scalingScaleService, { idempotencyKey: 'inc-10/scale', ref, desiredCount: 3, min: 1, max: 4 });
    expect(result).toEqual({ previousCount: 3, desiredCount: 3, stable: false });
    expect(heartbeats).toBeGreaterThan(1);
  });

  it('maps unknown services to permanent failures', async () => {
    const env = activityEnvironment();
    await expectFailure(env.run(adaptersFor().scalingDescribeService, { ref: { cluster, service: 'nope' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /ECS service .*\/nope not found/,
    });
    await expectFailure(env.run(adaptersFor().deployFindReleases, { target: { service: 'web', scope: 'no-such-cluster' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /ClusterNotFoundException/,
    });
  });

  it('maps AWS throttling, 5xx and silence to retryable failures (against an ECS-speaking stub)', async () => {
    const ecs = new StubServer({
      vendor: 'ECS',
      authorize: (request) => String(request.headers.authorization).startsWith(`AWS4-HMAC-SHA256 Credential=${MOTO_CREDENTIALS.accessKeyId}/`),
      unauthorized: { status: 403, body: { __type: 'UnrecognizedClientException', message: 'The security token is invalid.' } },
    });
    ecs.route('ecs', 'POST', '/', () => ({ status: 200, body: { services: [], failures: [{ reason: 'MISSING' }] } }));
    await ecs.start();
    try {
      const { scalingDescribeService } = adaptersFor(ecs.url, { INTEGRATIONS_TIMEOUT_MS: '300' });
      const env = activityEnvironment();
      const describe = () => env.run(scalingDescribeService, { ref: { cluster: 'c', service: 's' } });
      ecs.fail('ecs', {
        status: 400,
        headers: { 'x-amzn-errortype': 'ThrottlingException' },
        body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
      });
      await expectFailure(describe(), { type: CapabilityFailure.Throttled, nonRetryable: false, message: /Rate exceeded/ });
      await expectTransientFaultsRetried(ecs, 'ecs', describe);
    } finally {
      await ecs.stop();
    }
  });
});
