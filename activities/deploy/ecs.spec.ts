/**
 * The ECS rollback's wait: against moto (which finishes a rollout at once, so the wait ends
 * on its first look), and against an ECS-speaking stub for what moto never does (a rollout
 * ECS marks FAILED, a service that moves on to another task definition).
 */
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type EcsSettings, loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { activityEnvironment, expectFailure } from '../../test/vendors/activity';
import { MOTO_CREDENTIALS, MOTO_REGION, recordCommands, useMotoServer } from '../../test/vendors/moto';
import { StubServer } from '../../test/vendors/stub-server';
import { createEcsClient, EcsServices } from '../ecs-service';
import { EcsDeploy } from './ecs';
import { createDeployActivities } from './port';

const STEP = { startToCloseTimeoutMs: 30_000 };

/** The deploy activities on ECS at `endpoint`, and the names of the commands they send. */
function deployOn(endpoint: string, extra: Record<string, string> = {}) {
  const config = loadIntegrationsConfig({
    DEPLOY_PROVIDER: 'ecs',
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL_ECS: endpoint,
    ECS_POLL_INTERVAL_MS: '20',
    ECS_WAIT_TIMEOUT_MS: '1000',
    INTEGRATIONS_TIMEOUT_MS: '2000',
    ...extra,
  });
  const settings = config.deploy as EcsSettings;
  const client = createEcsClient(settings, config.timeoutMs, MOTO_CREDENTIALS);
  const sent = recordCommands(client);
  return { sent, ...createDeployActivities(new EcsDeploy(new EcsServices(client, settings))) };
}

describe('ECS rollback waits for the service (against moto)', () => {
  const aws = useMotoServer({ runningTasks: 2 });
  let sequence = 0;

  /** A service on revision 2 of its family, with `desiredCount` tasks wanted (moto runs 2). */
  const service = async (desiredCount: number) => {
    const cluster = `deploy-${++sequence}`;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const register = async () =>
      (await aws.ecs.send(new RegisterTaskDefinitionCommand({ family: cluster, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] })))
        .taskDefinition!.taskDefinitionArn!;
    const [v1, v2] = [await register(), await register()];
    await aws.ecs.send(new CreateServiceCommand({ cluster, serviceName: 'web', taskDefinition: v2, desiredCount }));
    return { v1, v2, target: { service: 'web', scope: cluster } };
  };

  it('ends the wait on the first look once the rollout is complete, recording the deployment; a restarted step updates nothing', async () => {
    const { v1, target } = await service(2);
    const { deployRollback, sent } = deployOn(aws.moto.url);
    const env = activityEnvironment(STEP);
    const heartbeats: Array<Record<string, unknown>> = [];
    env.on('heartbeat', (details: Record<string, unknown>) => heartbeats.push(details));
    const rollback = { idempotencyKey: 'inc-1/rollback', target, to: { ref: v1, id: '1' } };

    const result = await env.run(deployRollback, rollback);
    expect(result).toEqual({ deploymentId: expect.stringMatching(/^ecs-svc\//), ref: v1, created: true, stable: true, state: 'COMPLETED' });
    expect(sent).toEqual(['DescribeServicesCommand', 'UpdateServiceCommand', 'DescribeServicesCommand']);
    expect(heartbeats.at(-1)).toEqual({
      idempotencyKey: 'inc-1/rollback',
      deploymentId: result.deploymentId,
      since: expect.any(Number),
      desired: 2,
      running: 2,
      deployments: 1,
    });

    sent.length = 0;
    const restarted = activityEnvironment({ ...STEP, attempt: 2, heartbeatDetails: heartbeats.at(-1) });
    expect(await restarted.run(deployRollback, rollback)).toEqual({ ...result, created: false });
    expect(sent).toEqual(['DescribeServicesCommand']);
  });

  it('fails OutOfBounds, not retried, when the service never settles within the wait', async () => {
    // moto runs 2 tasks: a service that wants 3 never settles.
    const { v1, target } = await service(3);
    const { deployRollback, sent } = deployOn(aws.moto.url, { ECS_WAIT_TIMEOUT_MS: '1000' });
    await expectFailure(activityEnvironment(STEP).run(deployRollback, { idempotencyKey: 'inc-2/rollback', target, to: { ref: v1, id: '1' } }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /did not become stable in time \(waited \d+ s\): 2 of 3 tasks running, 1 deployments, rollout IN_PROGRESS/,
    });
    expect(sent.filter((command) => command === 'DescribeServicesCommand').length).toBeGreaterThan(2);
  });

  it('refuses a task definition ECS does not know, naming it', async () => {
    const { target } = await service(2);
    const unknown = `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/nope:7`;
    await expectFailure(activityEnvironment(STEP).run(deployOn(aws.moto.url).deployRollback, { idempotencyKey: 'inc-3/rollback', target, to: { ref: unknown, id: '7' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: new RegExp(`ECS update service to ${unknown} failed: HTTP 400`),
    });
  });
});

describe('ECS rollback failures moto cannot show (against an ECS-speaking stub)', () => {
  const V1 = `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/web:1`;
  const V2 = `arn:aws:ecs:${MOTO_REGION}:123456789012:task-definition/web:2`;
  let ecs: StubServer;
  /** What DescribeServices answers, look by look (the last one repeats). */
  let looks: Array<Record<string, unknown>>;

  beforeEach(async () => {
    ecs = new StubServer({
      vendor: 'ECS',
      authorize: (request) => String(request.headers.authorization).startsWith(`AWS4-HMAC-SHA256 Credential=${MOTO_CREDENTIALS.accessKeyId}/`),
      unauthorized: { status: 403, body: { __type: 'UnrecognizedClientException', message: 'The security token is invalid.' } },
    });
    ecs.route('ecs', 'POST', '/', (request) => {
      const action = String(request.headers['x-amz-target']).split('.').pop();
      if (action === 'UpdateService') {
        ecs.effect('service.update');
        if (request.body?.taskDefinition !== V1) return { status: 400, body: { __type: 'ClientException', message: 'unexpected task definition' } };
        return { body: { service: { ...looks[0], taskDefinition: V1 } } };
      }
      if (action !== 'DescribeServices') return { status: 400, body: { __type: 'InvalidAction', message: String(action) } };
      const look = looks.length > 1 ? looks.shift()! : looks[0];
      return { body: { services: [look], failures: [] } };
    });
    await ecs.start();
  });
  afterEach(() => ecs.stop());

  const described = (taskDefinition: string, deployments: Array<Record<string, unknown>>) => ({
    serviceName: 'web',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 1,
    taskDefinition,
    deployments,
  });
  const rollback = { idempotencyKey: 'inc-4/rollback', target: { service: 'web', scope: 'prod' }, to: { ref: V1, id: '1' } };

  it('fails with ECS\'s reason, not retried, when the rollout FAILED', async () => {
    looks = [
      described(V2, [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: V2, rolloutState: 'COMPLETED' }]),
      described(V1, [
        { id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: V1, rolloutState: 'IN_PROGRESS' },
        { id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: V2, rolloutState: 'COMPLETED' },
      ]),
      described(V1, [
        { id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: V1, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' },
      ]),
    ];
    await expectFailure(activityEnvironment(STEP).run(deployOn(ecs.url).deployRollback, rollback), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^ECS deployment .* of .*web:1 on prod\/web ended FAILED: ECS deployment circuit breaker: tasks failed to start\.$/,
    });
    expect(ecs.count('service.update')).toBe(1);
  });

  it('fails as superseded when the service moves to another task definition while waiting', async () => {
    looks = [
      described(V2, [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: V2, rolloutState: 'COMPLETED' }]),
      described(V1, [{ id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: V1, rolloutState: 'IN_PROGRESS' }]),
      described(V2, [{ id: 'ecs-svc/4', status: 'PRIMARY', taskDefinition: V2, rolloutState: 'IN_PROGRESS' }]),
    ];
    await expectFailure(activityEnvironment(STEP).run(deployOn(ecs.url).deployRollback, rollback), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /ended superseded: the service now runs .*web:2$/,
    });
  });
});
