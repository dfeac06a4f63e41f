/**
 * The shipped service-health-check runbook on the real worker, with the ECS scaling adapter
 * and the CloudWatch monitoring adapter, both against one moto server: a healthy service,
 * then the same service with one of its alarms in ALARM.
 */
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { Client, Connection } from '@temporalio/client';
import { sharedTemporalAddress } from '../temporal';
import { MOTO_REGION, useMotoServer } from '../vendors/moto';
import { quietTemporalRuntime } from '../vendors/temporal-worker';
import { runOnRealWorker, stepsOf } from './real-adapters';

quietTemporalRuntime();

interface HealthResult {
  verdict: string;
  healthy: boolean;
  checks: Record<string, { verdict: string; detail: string; inAlarm?: string[] }>;
  findings: string[];
}

describe('service-health-check on ECS and CloudWatch (moto)', () => {
  let client: Client;
  // The worker's AWS clients take credentials from the SDK's default chain, as in production.
  const aws = useMotoServer({ runningTasks: 2 });
  let clusters = 0;

  const settings = () => ({
    SCALING_PROVIDER: 'ecs',
    MONITORING_PROVIDER: 'cloudwatch',
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL_ECS: aws.moto.url,
    AWS_ENDPOINT_URL_CLOUDWATCH: aws.moto.url,
  });
  /** A service running as many tasks as it wants, on a cluster of its own, with two alarms named after it. */
  const service = async () => {
    const cluster = `health-${process.pid}-${++clusters}`;
    const name = `web-${clusters}`;
    await aws.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const definition = await aws.ecs.send(
      new RegisterTaskDefinitionCommand({ family: cluster, containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }),
    );
    await aws.ecs.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: definition.taskDefinition!.taskDefinitionArn!, desiredCount: 2 }));
    for (const metric of ['CPUUtilization', 'MemoryUtilization']) {
      await aws.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `${name}-${metric}`,
          Namespace: 'AWS/ECS',
          MetricName: metric,
          Dimensions: [
            { Name: 'ClusterName', Value: cluster },
            { Name: 'ServiceName', Value: name },
          ],
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 80,
          ComparisonOperator: 'GreaterThanThreshold',
          Tags: [{ Key: 'service', Value: name }],
        }),
      );
    }
    return { cluster, name };
  };
  const check = async (input: Record<string, unknown>) => {
    const { execution } = await runOnRealWorker(client, settings(), 'service-health-check', input);
    expect(execution.status).toBe('completed');
    expect(stepsOf(execution)).toEqual([
      ['scaling.describeService', 'completed'],
      ['monitoring.listAlarms', 'completed'],
    ]);
    return { execution, result: execution.outcome?.result as HealthResult };
  };

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  it('judges a service healthy when its tasks run, it has settled and its alarms are OK; unhealthy once an alarm fires', async () => {
    const { cluster, name } = await service();

    const healthy = await check({ cluster, service: name });
    expect(healthy.execution.steps[1].args).toEqual({ prefix: name });
    expect(healthy.result.verdict).toBe('healthy');
    expect(healthy.result.healthy).toBe(true);
    expect(Object.fromEntries(Object.entries(healthy.result.checks).map(([check, found]) => [check, found.verdict]))).toEqual({
      tasks: 'healthy',
      deployments: 'healthy',
      alarms: 'healthy',
      events: 'healthy',
    });
    expect(healthy.result.checks.tasks.detail).toBe('2/2 running, 0 pending');
    expect(healthy.result.checks.alarms.detail).toBe('2 OK');

    await aws.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: `${name}-CPUUtilization`, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 3 datapoints were greater than the threshold (80.0).' }),
    );
    const firing = await check({ cluster, service: name });
    expect(firing.result.verdict).toBe('unhealthy');
    expect(firing.result.healthy).toBe(false);
    expect(firing.result.checks.alarms).toMatchObject({ verdict: 'unhealthy', detail: `in ALARM: ${name}-CPUUtilization`, inAlarm: [`${name}-CPUUtilization`] });
    expect(firing.result.checks.tasks.verdict).toBe('healthy');
    expect(firing.result.findings[0]).toBe(`${name} on ${cluster}: unhealthy`);
    expect(firing.execution.log.map((entry) => entry.message)).toContain(firing.result.findings.join('\n'));
  });

  it('finds the alarms by their tags when asked to', async () => {
    const { cluster, name } = await service();
    await aws.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `${name}-MemoryUtilization`, StateValue: 'ALARM', StateReason: 'memory' }));
    const { execution, result } = await check({ cluster, service: name, alarmTags: { service: name } });
    expect(execution.steps[1].args).toEqual({ tags: { service: name } });
    expect(result.checks.alarms).toMatchObject({ verdict: 'unhealthy', inAlarm: [`${name}-MemoryUtilization`] });
    expect(result.verdict).toBe('unhealthy');
  });
});
