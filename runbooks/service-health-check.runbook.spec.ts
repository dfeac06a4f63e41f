import { testRunbook } from '../core/model/runbook-testing';
import type { Alarm, AlarmList, ListAlarmsInput } from '../core/schemas/capabilities/monitoring';
import type { ServiceDescription } from '../core/schemas/capabilities/scaling';
import healthCheck from './service-health-check.runbook';

const ref = { cluster: 'prod', service: 'checkout' };
const steady = { at: '2026-01-01T00:00:00.000Z', message: '(service checkout) has reached a steady state.' };

const described = (over: Partial<ServiceDescription> = {}): ServiceDescription => ({
  ref,
  desiredCount: 3,
  runningCount: 3,
  pendingCount: 0,
  deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'checkout:7' }],
  events: [steady],
  ...over,
});
const alarm = (name: string, state: Alarm['state'] = 'OK'): Alarm => ({ name, state, kind: 'metric', namespace: 'AWS/ECS', metric: 'CPUUtilization' });
const cloudwatch = (...alarms: Alarm[]): AlarmList => ({ provider: 'cloudwatch', alarms, truncated: false });

/** The run with these answers, and the alarm queries it made. */
async function check(service: ServiceDescription, alarms: AlarmList, input: Record<string, unknown> = {}) {
  const queries: ListAlarmsInput[] = [];
  const run = await testRunbook(healthCheck, {
    input: { ...ref, ...input },
    incident: {},
    steps: {
      'scaling.describeService': () => service,
      'monitoring.listAlarms': (query) => (queries.push(query), alarms),
    },
  });
  return { run, queries, result: run.result as { verdict: string; healthy: boolean; checks: Record<string, { verdict: string; detail: string }>; findings: string[] } };
}

describe('service-health-check', () => {
  it('finds a service with its tasks running, one deployment, quiet alarms and a steady state healthy', async () => {
    const { run, queries, result } = await check(described(), cloudwatch(alarm('checkout-cpu'), alarm('checkout-5xx')));
    expect(run.status).toBe('completed');
    expect(run.steps.map((s) => s.name)).toEqual(['scaling.describeService', 'monitoring.listAlarms']);
    expect(queries).toEqual([expect.objectContaining({ prefix: 'checkout' })]);
    expect(result.verdict).toBe('healthy');
    expect(result.healthy).toBe(true);
    expect(Object.fromEntries(Object.entries(result.checks).map(([name, c]) => [name, [c.verdict, c.detail]]))).toEqual({
      tasks: ['healthy', '3/3 running, 0 pending'],
      deployments: ['healthy', 'settled: ecs-svc/1 PRIMARY (checkout:7)'],
      alarms: ['healthy', '2 OK'],
      events: ['healthy', 'no failure in the 1 most recent'],
    });
    expect(run.log).toContain(result.findings.join('\n'));
    expect(result.findings).toEqual([
      'checkout on prod: healthy',
      'tasks: healthy: 3/3 running, 0 pending',
      'deployments: healthy: settled: ecs-svc/1 PRIMARY (checkout:7)',
      'alarms: healthy: 2 OK',
      'events: healthy: no failure in the 1 most recent',
      'event 2026-01-01T00:00:00.000Z: (service checkout) has reached a steady state.',
    ]);
  });

  it('names the alarms in ALARM and the failure events, and judges the service unhealthy', async () => {
    const service = described({
      runningCount: 2,
      pendingCount: 1,
      events: [
        { message: '(service checkout) was unable to place a task because no container instance met all of its requirements.' },
        { message: '(service checkout) has started 1 tasks: (task 1234).' },
        steady,
        { message: '(service checkout) (task 99) failed container health checks.' },
      ],
    });
    const { result } = await check(service, cloudwatch(alarm('checkout-5xx', 'ALARM'), alarm('checkout-latency', 'INSUFFICIENT_DATA'), alarm('checkout-cpu')));
    expect(result.verdict).toBe('unhealthy');
    expect(result.healthy).toBe(false);
    expect(result.checks.tasks).toMatchObject({ verdict: 'degraded', detail: '2/3 running, 1 pending: below desired', running: 2, desired: 3, pending: 1 });
    expect(result.checks.alarms).toMatchObject({ verdict: 'unhealthy', detail: 'in ALARM: checkout-5xx', inAlarm: ['checkout-5xx'], insufficientData: ['checkout-latency'] });
    // The health-check failure before the last steady state is over; the placement failure after it is not.
    expect(result.checks.events).toMatchObject({
      verdict: 'unhealthy',
      detail: '1 failure since the last steady state: (service checkout) was unable to place a task because no container instance met all of its requirements.',
    });
  });

  it('calls a rollout in progress, too few tasks and alarms without data degraded, and no task running unhealthy', async () => {
    const rolling = described({
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: 'checkout:8' },
        { id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: 'checkout:7' },
      ],
    });
    const { result } = await check(rolling, cloudwatch(alarm('checkout-latency', 'INSUFFICIENT_DATA'), alarm('checkout-cpu')));
    expect(result.verdict).toBe('degraded');
    expect(result.checks.deployments).toMatchObject({ verdict: 'degraded', detail: 'rollout in progress: ecs-svc/2 PRIMARY (checkout:8), ecs-svc/1 ACTIVE (checkout:7)' });
    expect(result.checks.alarms).toMatchObject({ verdict: 'degraded', detail: 'insufficient data: checkout-latency; 1 OK' });

    const down = await check(described({ runningCount: 0, events: [] }), cloudwatch(alarm('checkout-cpu')));
    expect(down.result.checks.tasks).toMatchObject({ verdict: 'unhealthy', detail: '0/3 running, 0 pending: none running' });
    expect(down.result.checks.events).toMatchObject({ verdict: 'healthy', detail: 'no recent events' });
    expect(down.result.verdict).toBe('unhealthy');
  });

  it('reads alarms by the prefix or tags given, and cuts a long service name to a prefix CloudWatch takes', async () => {
    const quiet = cloudwatch(alarm('x'));
    expect((await check(described(), quiet, { alarmPrefix: 'shop-' })).queries).toEqual([expect.objectContaining({ prefix: 'shop-' })]);
    const tagged = (await check(described(), quiet, { alarmTags: { service: 'checkout' } })).queries;
    expect(tagged).toEqual([{ idempotencyKey: expect.any(String), tags: { service: 'checkout' } }]);
    const both = (await check(described(), quiet, { alarmPrefix: 'shop-', alarmTags: { team: 'pay' } })).queries;
    expect(both).toEqual([expect.objectContaining({ prefix: 'shop-', tags: { team: 'pay' } })]);

    const long = `${'a'.repeat(254)}😀tail`;
    const [query] = (await check(described(), quiet, { service: long })).queries;
    expect(query.prefix).toBe('a'.repeat(254));
  });

  it('refuses alarm filters CloudWatch would refuse, naming the field', () => {
    const refused = (input: Record<string, unknown>) => healthCheck.input.safeParse({ ...ref, ...input }).error?.issues.map((issue) => issue.path.join('.'));
    expect(refused({ alarmPrefix: '' })).toEqual(['alarmPrefix']);
    expect(refused({ alarmPrefix: 'x'.repeat(256) })).toEqual(['alarmPrefix']);
    expect(refused({ alarmTags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) })).toEqual(['alarmTags']);
    expect(refused({ alarmTags: { ['k'.repeat(129)]: 'v' } })).toEqual([`alarmTags.${'k'.repeat(129)}`]);
    expect(refused({ alarmTags: { service: 'checkout' }, events: 5 })).toBeUndefined();
  });

  it('says what it cannot know: no alarm matched, no monitoring system, no task meant to run', async () => {
    const none = await check(described(), cloudwatch());
    expect(none.result.checks.alarms).toMatchObject({ verdict: 'unknown', detail: 'no alarm matches prefix "checkout"' });
    // Nothing wrong found, and the tasks are healthy: the unknown alarms do not make it worse.
    expect(none.result.verdict).toBe('healthy');

    const truncated = await check(described(), { provider: 'cloudwatch', alarms: [alarm('checkout-cpu')], truncated: true });
    expect(truncated.result.checks.alarms.detail).toBe('1 OK (more alarms match than were read)');

    // What the built-in local adapters answer.
    const local = await check(
      described({ desiredCount: 0, runningCount: 0, deployments: [], events: [{ message: 'local scaling adapter: no real service behind it, nothing is known or changed' }] }),
      { provider: 'local', alarms: [], truncated: false },
    );
    expect(Object.fromEntries(Object.entries(local.result.checks).map(([name, c]) => [name, c.verdict]))).toEqual({
      tasks: 'unknown',
      deployments: 'unknown',
      alarms: 'unknown',
      events: 'healthy',
    });
    expect(local.result.checks.alarms.detail).toBe('no monitoring system is configured (MONITORING_PROVIDER=local)');
    expect(local.result.verdict).toBe('unknown');
  });

  it('lists at most ten alarm names on the timeline, and all of them in the result', async () => {
    const firing = Array.from({ length: 12 }, (_, i) => alarm(`checkout-${String(i).padStart(2, '0')}`, 'ALARM'));
    const { result } = await check(described(), cloudwatch(...firing));
    expect(result.checks.alarms.detail).toBe(`in ALARM: ${firing.slice(0, 10).map((a) => a.name).join(', ')} and 2 more`);
    expect((result.checks.alarms as unknown as { inAlarm: string[] }).inAlarm).toHaveLength(12);
  });

  it('plans the reads in a dry run and judges nothing from its placeholders', async () => {
    const run = await testRunbook(healthCheck, { input: ref, incident: {}, dryRun: true });
    expect(run.plan.map((s) => [s.name, s.args])).toEqual([
      ['scaling.describeService', { ref }],
      ['monitoring.listAlarms', { prefix: 'checkout' }],
    ]);
    const result = run.result as { verdict: string; findings: string[]; checks: Record<string, { verdict: string; detail: string }> };
    expect(result.verdict).toBe('unknown');
    expect(result.findings[0]).toBe('checkout on prod: unknown (dry run: nothing was read)');
    expect(result.checks.alarms).toMatchObject({ verdict: 'unknown', detail: 'not read in a dry run' });
  });
});
