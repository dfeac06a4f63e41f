import { PutMetricAlarmCommand, SetAlarmStateCommand, TagResourceCommand } from '@aws-sdk/client-cloudwatch';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type CloudWatchSettings, loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { activityEnvironment, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { MOTO_CREDENTIALS, MOTO_REGION, recordCommands, useMotoServer } from '../../test/vendors/moto';
import { type StubRequest, StubServer } from '../../test/vendors/stub-server';
import { CloudWatchMonitoring, createCloudWatchClient } from './cloudwatch';
import { createMonitoringActivities } from './port';

/** The activity as the worker builds it from settings, and the CloudWatch commands it sends. */
function adapterFor(endpoint: string, extra: Record<string, string> = {}) {
  const config = loadIntegrationsConfig({
    MONITORING_PROVIDER: 'cloudwatch',
    AWS_REGION: MOTO_REGION,
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
    INTEGRATIONS_TIMEOUT_MS: '2000',
    ...extra,
  });
  const client = createCloudWatchClient(config.monitoring as CloudWatchSettings, config.timeoutMs, MOTO_CREDENTIALS);
  const sent = recordCommands(client);
  return { sent, ...createMonitoringActivities(new CloudWatchMonitoring(client)) };
}

const count = (sent: string[], command: string) => sent.filter((name) => name === command).length;

describe('CloudWatch alarms (@aws-sdk/client-cloudwatch against moto)', () => {
  const aws = useMotoServer();
  const env = activityEnvironment();

  const alarm = async (name: string, state?: 'ALARM' | 'INSUFFICIENT_DATA', tags?: Record<string, string>) => {
    await aws.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanThreshold',
        ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
      }),
    );
    if (state) await aws.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: `set to ${state} by the test` }));
  };

  it('reads the alarms with a name prefix, those in ALARM first, with their state, reason, time and metric', async () => {
    await alarm('web-cpu');
    await alarm('web-5xx', 'ALARM');
    await alarm('web-latency', 'INSUFFICIENT_DATA');
    await alarm('webhooks-cpu', 'ALARM');
    await alarm('api-cpu', 'ALARM');
    const { monitoringListAlarms, sent } = adapterFor(aws.moto.url);

    const answer = await env.run(monitoringListAlarms, { prefix: 'web-' });
    expect(answer).toEqual({
      provider: 'cloudwatch',
      truncated: false,
      alarms: [
        { name: 'web-5xx', state: 'ALARM', reason: 'set to ALARM by the test', updatedAt: expect.any(String), kind: 'metric', namespace: 'AWS/ECS', metric: 'CPUUtilization' },
        expect.objectContaining({ name: 'web-latency', state: 'INSUFFICIENT_DATA' }),
        expect.objectContaining({ name: 'web-cpu', state: 'OK' }),
      ],
    });
    expect(Number.isNaN(Date.parse(answer.alarms[0].updatedAt!))).toBe(false);
    expect(sent).toEqual(['DescribeAlarmsCommand']);
    expect((await env.run(monitoringListAlarms, { prefix: 'web-', limit: 1 })).alarms.map((a) => a.name)).toEqual(['web-5xx']);
    expect(await env.run(monitoringListAlarms, { prefix: 'web-', limit: 1 })).toMatchObject({ truncated: true });
    expect((await env.run(monitoringListAlarms, { prefix: 'nothing-' })).alarms).toEqual([]);
  });

  it('keeps the alarms that carry every tag asked for, reading each candidate\'s tags', async () => {
    await alarm('shop-cpu', undefined, { service: 'shop', team: 'pay' });
    await alarm('shop-5xx', 'ALARM', { service: 'shop' });
    await alarm('shop-disk');
    await aws.cloudwatch.send(new TagResourceCommand({ ResourceARN: `arn:aws:cloudwatch:${MOTO_REGION}:123456789012:alarm:shop-disk`, Tags: [{ Key: 'service', Value: 'shop' }, { Key: 'team', Value: 'pay' }] }));
    await alarm('cart-cpu', 'ALARM', { service: 'cart' });
    const { monitoringListAlarms, sent } = adapterFor(aws.moto.url);

    const bothTags = await env.run(monitoringListAlarms, { prefix: 'shop-', tags: { service: 'shop', team: 'pay' } });
    expect(bothTags.alarms.map((a) => a.name)).toEqual(['shop-cpu', 'shop-disk']);
    expect(bothTags.truncated).toBe(false);
    // One tag lookup per alarm with the prefix: the prefix keeps the lookups few.
    expect(count(sent, 'ListTagsForResourceCommand')).toBe(3);

    sent.length = 0;
    const byTagOnly = await env.run(monitoringListAlarms, { tags: { service: 'shop' } });
    expect(byTagOnly.alarms.map((a) => [a.name, a.state])).toEqual([
      ['shop-5xx', 'ALARM'],
      ['shop-cpu', 'OK'],
      ['shop-disk', 'OK'],
    ]);
    expect(count(sent, 'DescribeAlarmsCommand')).toBe(1);
    expect(count(sent, 'ListTagsForResourceCommand')).toBeGreaterThan(3);
  });

  it('answers at most 100 alarms, the firing ones kept, and says it cut the rest', async () => {
    for (let i = 0; i < 104; i += 1) await alarm(`many-${String(i).padStart(3, '0')}`);
    await alarm('many-zz-firing', 'ALARM');
    const { monitoringListAlarms } = adapterFor(aws.moto.url);
    const answer = await env.run(monitoringListAlarms, { prefix: 'many-' });
    expect(answer.alarms).toHaveLength(100);
    expect(answer.truncated).toBe(true);
    expect(answer.alarms[0]).toMatchObject({ name: 'many-zz-firing', state: 'ALARM' });
    expect(answer.alarms[1].name).toBe('many-000');

    // By tags, at most 100 alarms are examined (one ListTagsForResource each).
    const { monitoringListAlarms: byTags, sent } = adapterFor(aws.moto.url);
    const untagged = await env.run(byTags, { prefix: 'many-', tags: { service: 'none' } });
    expect(untagged).toEqual({ provider: 'cloudwatch', alarms: [], truncated: true });
    expect(count(sent, 'ListTagsForResourceCommand')).toBe(100);
  });

  it('refuses a query with neither prefix nor tags, or past CloudWatch\'s limits, naming the field, before any call', async () => {
    const { monitoringListAlarms, sent } = adapterFor(aws.moto.url);
    await expectFailure(env.run(monitoringListAlarms, {}), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /prefix: give a prefix or tags/ });
    await expectFailure(env.run(monitoringListAlarms, { prefix: 'x'.repeat(256) }), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /prefix:/ });
    await expectFailure(env.run(monitoringListAlarms, { prefix: 'web-', limit: 101 }), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /limit:/ });
    expect(sent).toEqual([]);
  });
});

/**
 * A CloudWatch-speaking stub (AWS JSON 1.0, as the SDK sends it), for what moto does not do:
 * DescribeAlarms in pages (moto answers every alarm at once) and failures on demand.
 */
function cloudWatchStub(
  alarms: Array<{ AlarmName: string; StateValue: string; composite?: boolean; tags?: Record<string, string>; deleted?: boolean }>,
  { pageSize = 2, endless = false } = {},
) {
  const arn = (name: string) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${name}`;
  const stub = new StubServer({
    vendor: 'CloudWatch',
    authorize: (request) => /^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/eu-west-1\/monitoring\/aws4_request,/.test(String(request.headers.authorization)),
    unauthorized: {
      status: 403,
      headers: { 'x-amzn-query-error': 'InvalidClientTokenId;Sender' },
      body: { __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
    },
  });
  stub.route('cloudwatch', 'POST', '/', (request: StubRequest) => {
    const target = String(request.headers['x-amz-target']);
    if (request.headers['content-type'] !== 'application/x-amz-json-1.0') return { status: 400, body: { message: 'bad content type' } };
    if (target === 'GraniteServiceVersion20100801.ListTagsForResource') {
      const found = alarms.find((a) => arn(a.AlarmName) === request.body.ResourceARN);
      if (!found || found.deleted) {
        return { status: 404, headers: { 'x-amzn-query-error': 'ResourceNotFound;Sender' }, body: { __type: 'ResourceNotFoundException', message: 'Alarm not found' } };
      }
      return { body: { Tags: Object.entries(found.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) } };
    }
    if (target !== 'GraniteServiceVersion20100801.DescribeAlarms') return { status: 400, body: { message: `unexpected ${target}` } };
    const { AlarmNamePrefix, AlarmTypes, MaxRecords, NextToken } = request.body as Record<string, unknown>;
    if (MaxRecords !== 100 || JSON.stringify(AlarmTypes) !== '["MetricAlarm","CompositeAlarm"]') return { status: 400, body: { message: 'unexpected paging' } };
    const from = NextToken === undefined ? 0 : Number(String(NextToken).replace('page-', ''));
    const page = alarms.filter((a) => a.AlarmName.startsWith(String(AlarmNamePrefix ?? ''))).slice(from, from + pageSize);
    const shaped = page.map(({ AlarmName, StateValue }) => ({ AlarmName, AlarmArn: arn(AlarmName), StateValue, StateReason: 'r', StateUpdatedTimestamp: 1767225600 }));
    const next = endless || from + pageSize < alarms.length ? `page-${from + pageSize}` : undefined;
    return {
      body: {
        MetricAlarms: shaped.filter((_, i) => !page[i].composite).map((a) => ({ ...a, Namespace: 'AWS/ECS', MetricName: 'CPUUtilization' })),
        CompositeAlarms: shaped.filter((_, i) => page[i].composite),
        ...(next ? { NextToken: next } : {}),
      },
    };
  });
  return stub;
}

describe('CloudWatch paging and failures (against a CloudWatch-speaking stub)', () => {
  const env = activityEnvironment();
  let stub: StubServer;
  afterEach(() => stub?.stop());

  it('follows NextToken across pages, metric and composite alarms alike, and ranks them all', async () => {
    stub = await cloudWatchStub([
      { AlarmName: 'pay-a', StateValue: 'OK' },
      { AlarmName: 'pay-b', StateValue: 'OK' },
      { AlarmName: 'pay-c', StateValue: 'INSUFFICIENT_DATA' },
      { AlarmName: 'pay-d', StateValue: 'OK' },
      { AlarmName: 'pay-e', StateValue: 'ALARM', composite: true },
    ]).start();
    const { monitoringListAlarms } = adapterFor(stub.url);
    const answer = await env.run(monitoringListAlarms, { prefix: 'pay-' });
    expect(stub.calls('cloudwatch').map((call) => call.body.NextToken)).toEqual([undefined, 'page-2', 'page-4']);
    expect(stub.calls('cloudwatch').every((call) => call.body.AlarmNamePrefix === 'pay-')).toBe(true);
    expect(answer.truncated).toBe(false);
    expect(answer.alarms.map((a) => [a.name, a.state, a.kind])).toEqual([
      ['pay-e', 'ALARM', 'composite'],
      ['pay-c', 'INSUFFICIENT_DATA', 'metric'],
      ['pay-a', 'OK', 'metric'],
      ['pay-b', 'OK', 'metric'],
      ['pay-d', 'OK', 'metric'],
    ]);
    expect(answer.alarms[0]).toEqual({ name: 'pay-e', state: 'ALARM', reason: 'r', updatedAt: '2026-01-01T00:00:00.000Z', kind: 'composite' });
  });

  it('passes over an alarm deleted between its listing and its tag lookup', async () => {
    stub = await cloudWatchStub([
      { AlarmName: 'gone-a', StateValue: 'ALARM', tags: { service: 'gone' }, deleted: true },
      { AlarmName: 'gone-b', StateValue: 'OK', tags: { service: 'gone' } },
    ]).start();
    const answer = await env.run(adapterFor(stub.url).monitoringListAlarms, { tags: { service: 'gone' } });
    expect(answer.alarms.map((a) => a.name)).toEqual(['gone-b']);
    expect(stub.calls('cloudwatch').map((call) => String(call.headers['x-amz-target']).split('.')[1])).toEqual([
      'DescribeAlarms',
      'ListTagsForResource',
      'ListTagsForResource',
    ]);
  });

  it('stops after ten pages and says more may match', async () => {
    stub = await cloudWatchStub([{ AlarmName: 'loop-a', StateValue: 'OK' }], { pageSize: 1, endless: true }).start();
    const answer = await env.run(adapterFor(stub.url).monitoringListAlarms, { prefix: 'loop-' });
    expect(stub.calls('cloudwatch')).toHaveLength(10);
    expect(answer.truncated).toBe(true);
  });

  it('retries throttling, 5xx and silence, and refuses access denied and bad requests for good, in the SDK\'s words', async () => {
    stub = await cloudWatchStub([{ AlarmName: 'x-a', StateValue: 'OK' }]).start();
    const { monitoringListAlarms } = adapterFor(stub.url, { INTEGRATIONS_TIMEOUT_MS: '300' });
    const list = () => env.run(monitoringListAlarms, { prefix: 'x-' });

    stub.fail('cloudwatch', { status: 400, headers: { 'x-amzn-query-error': 'Throttling;Sender' }, body: { __type: 'Throttling', message: 'Rate exceeded' } });
    await expectFailure(list(), { type: CapabilityFailure.Throttled, nonRetryable: false, message: /CloudWatch describe alarms failed: HTTP 400: Throttling: Rate exceeded/ });
    await expectTransientFaultsRetried(stub, 'cloudwatch', list);

    stub.fail('cloudwatch', {
      status: 403,
      headers: { 'x-amzn-query-error': 'AccessDenied;Sender' },
      body: { __type: 'AccessDenied', message: 'User: arn:aws:iam::123456789012:user/firebreak is not authorized to perform: cloudwatch:DescribeAlarms' },
    });
    await expectFailure(list(), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 403: AccessDenied: User: .* is not authorized to perform: cloudwatch:DescribeAlarms/,
      secrets: [MOTO_CREDENTIALS.secretAccessKey],
    });
    stub.fail('cloudwatch', {
      status: 400,
      headers: { 'x-amzn-query-error': 'InvalidParameterValue;Sender' },
      body: { __type: 'InvalidParameterValue', message: 'The value for parameter AlarmNamePrefix is invalid.' },
    });
    await expectFailure(list(), { type: CapabilityFailure.Rejected, nonRetryable: true, message: /HTTP 400: InvalidParameterValueException: The value for parameter AlarmNamePrefix is invalid/ });

    // Credentials the service does not know: refused, and the secret key is in no message.
    const stranger = createCloudWatchClient({ region: MOTO_REGION, endpoint: stub.url }, 2000, { accessKeyId: 'stranger', secretAccessKey: 'stranger-secret-key' });
    const refused = await expectFailure(env.run(createMonitoringActivities(new CloudWatchMonitoring(stranger)).monitoringListAlarms, { prefix: 'x-' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 403: InvalidClientTokenId: The security token included in the request is invalid/,
      secrets: ['stranger-secret-key'],
    });
    expect(JSON.stringify(refused.details)).not.toContain('stranger-secret-key');
  });
});
