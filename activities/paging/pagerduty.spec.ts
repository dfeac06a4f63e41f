import { CapabilityFailure } from '../../core/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { PAGERDUTY_ROUTING_KEY, pagerDutySettings, startPagerDutyStub } from '../../test/vendors/pagerduty';

describe('PagerDuty paging (Events API v2 against a PagerDuty stub)', () => {
  let pagerduty: Awaited<ReturnType<typeof startPagerDutyStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...pagerDutySettings(pagerduty.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const page = {
    idempotencyKey: 'inc-5/page-1',
    incidentId: 'inc-5',
    action: 'trigger' as const,
    dedupKey: 'checkout-latency',
    summary: 'Checkout p99 above 2s',
    severity: 'critical' as const,
    targets: ['primary-oncall'],
    level: 1,
  };

  beforeEach(async () => {
    pagerduty = await startPagerDutyStub();
  });
  afterEach(() => pagerduty.stub.stop());

  it('triggers with the dedup key, so a repeated page opens no second alert; acknowledges and resolves it', async () => {
    const { pagingPage } = activitiesFor();
    expect(await env.run(pagingPage, page)).toEqual({ dedupKey: 'checkout-latency', delivered: true, provider: 'pagerduty' });
    await env.run(pagingPage, page);
    await env.run(pagingPage, { ...page, idempotencyKey: 'inc-5/page-2', level: 2 });
    expect(pagerduty.stub.count('alert.open')).toBe(1);
    expect(pagerduty.alerts.get('checkout-latency')!.events).toBe(3);

    const [trigger] = pagerduty.stub.calls('enqueue');
    expect(trigger.path).toBe('/v2/enqueue');
    expect(trigger.body).toEqual({
      routing_key: PAGERDUTY_ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'checkout-latency',
      client: 'Firebreak',
      payload: {
        summary: 'Checkout p99 above 2s',
        source: 'firebreak',
        severity: 'critical',
        custom_details: { incident_id: 'inc-5', targets: ['primary-oncall'], escalation_level: 1, idempotency_key: 'inc-5/page-1' },
      },
    });

    await env.run(pagingPage, { ...page, idempotencyKey: 'inc-5/ack', action: 'acknowledge' });
    expect(pagerduty.alerts.get('checkout-latency')!.status).toBe('acknowledged');
    await env.run(pagingPage, { ...page, idempotencyKey: 'inc-5/resolve', action: 'resolve' });
    expect(pagerduty.alerts.get('checkout-latency')!.status).toBe('resolved');
    expect(pagerduty.stub.calls('enqueue').at(-1)!.body.payload).toBeUndefined();
  });

  it('maps a refused event to a permanent failure and never shows the routing key', async () => {
    await expectFailure(env.run(activitiesFor({ PAGERDUTY_ROUTING_KEY: 'WRONGKEY0123456789' }).pagingPage, page), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /PagerDuty trigger event failed: HTTP 400: Event object is invalid; Invalid routing key/,
      secrets: ['WRONGKEY0123456789', PAGERDUTY_ROUTING_KEY],
    });
  });

  it('maps 429, 5xx and silence to retryable failures', async () => {
    const { pagingPage } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(pagerduty.stub, 'enqueue', () => env.run(pagingPage, page));
    expect(pagerduty.stub.count('alert.open')).toBe(0);
  });
});
