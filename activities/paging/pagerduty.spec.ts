import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { PAGERDUTY_ROUTING_KEY, PAGERDUTY_SERVICE_KEYS, pagerDutySettings, startPagerDutyStub } from '../../test/vendors/pagerduty';

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
    const unlevelled = { ...page, level: undefined };
    expect(await env.run(pagingPage, unlevelled)).toEqual({ dedupKey: 'checkout-latency', delivered: true, provider: 'pagerduty' });
    await env.run(pagingPage, unlevelled);
    expect(pagerduty.stub.count('alert.open')).toBe(1);
    expect(pagerduty.alerts.get('checkout-latency')!.events).toBe(2);

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
        custom_details: { incident_id: 'inc-5', targets: ['primary-oncall'], idempotency_key: 'inc-5/page-1' },
      },
    });

    await env.run(pagingPage, { ...unlevelled, idempotencyKey: 'inc-5/ack', action: 'acknowledge' });
    expect(pagerduty.alerts.get('checkout-latency')!.status).toBe('acknowledged');
    await env.run(pagingPage, { ...unlevelled, idempotencyKey: 'inc-5/resolve', action: 'resolve' });
    expect(pagerduty.alerts.get('checkout-latency')!.status).toBe('resolved');
    expect(pagerduty.stub.calls('enqueue').at(-1)!.body.payload).toBeUndefined();
  });

  it('keeps an alert per escalation level, so level 2 pages anew; acknowledge and resolve reach each level', async () => {
    const { pagingPage } = activitiesFor();
    await env.run(pagingPage, page);
    await env.run(pagingPage, { ...page, idempotencyKey: 'inc-5/page-2', level: 2, targets: ['secondary-oncall'] });
    expect(pagerduty.stub.count('alert.open')).toBe(2);
    expect([...pagerduty.alerts.keys()]).toEqual(['checkout-latency#level-1', 'checkout-latency#level-2']);
    expect(pagerduty.stub.calls('enqueue')[0].body.payload.custom_details.escalation_level).toBe(1);

    for (const level of [1, 2]) await env.run(pagingPage, { ...page, idempotencyKey: `inc-5/ack-l${level}`, action: 'acknowledge', level });
    expect([...pagerduty.alerts.values()].map((alert) => alert.status)).toEqual(['acknowledged', 'acknowledged']);
    for (const level of [1, 2]) await env.run(pagingPage, { ...page, idempotencyKey: `inc-5/resolve-l${level}`, action: 'resolve', level });
    expect([...pagerduty.alerts.values()].map((alert) => alert.status)).toEqual(['resolved', 'resolved']);
  });

  it("sends a pagerduty:<service> target to that service's routing key, and each service of a level its own event", async () => {
    const { pagingPage } = activitiesFor();
    await env.run(pagingPage, { ...page, targets: ['pagerduty:payments'] });
    await env.run(pagingPage, { ...page, idempotencyKey: 'inc-5/page-2', level: 2, targets: ['pagerduty:platform', 'pagerduty:payments', 'ops-lead'] });
    const sent = pagerduty.stub.calls('enqueue').map((call) => [call.body.routing_key, call.body.dedup_key]);
    expect(sent).toEqual([
      [PAGERDUTY_SERVICE_KEYS.payments, 'checkout-latency#level-1'],
      [PAGERDUTY_SERVICE_KEYS.platform, 'checkout-latency#level-2'],
      [PAGERDUTY_SERVICE_KEYS.payments, 'checkout-latency#level-2'],
      [PAGERDUTY_ROUTING_KEY, 'checkout-latency#level-2'],
    ]);
    expect([...pagerduty.alerts.keys()]).toEqual([
      'payments|checkout-latency#level-1',
      'platform|checkout-latency#level-2',
      'payments|checkout-latency#level-2',
      'checkout-latency#level-2',
    ]);
  });

  it('refuses for good a service with no routing key, or plain targets with no default key, naming the setting', async () => {
    await expectFailure(env.run(activitiesFor().pagingPage, { ...page, targets: ['pagerduty:billing'] }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /PagerDuty service "billing" has no routing key: add billing=<key> to PAGERDUTY_SERVICE_KEYS/,
      secrets: [PAGERDUTY_ROUTING_KEY, ...Object.values(PAGERDUTY_SERVICE_KEYS)],
    });
    await expectFailure(env.run(activitiesFor({ PAGERDUTY_ROUTING_KEY: '' }).pagingPage, page), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /no default PagerDuty routing key for these targets: set PAGERDUTY_ROUTING_KEY/,
      secrets: Object.values(PAGERDUTY_SERVICE_KEYS),
    });
    expect(pagerduty.stub.calls('enqueue')).toHaveLength(0);
  });

  it('fits a 400-character Alertmanager group key and a 1,500-character description to what PagerDuty takes', async () => {
    const { pagingPage } = activitiesFor();
    const groupKey = `{}/{severity="page"}:{alertname="CheckoutLatency", ${Array.from({ length: 14 }, (_, i) => `pod="checkout-${i}-7d9f8"`).join(', ')}}`.padEnd(400, 'x');
    const description = `Checkout p99 above 2s in every region. ${'Runbook and context. '.repeat(80)}`.slice(0, 1500);
    const long = { ...page, dedupKey: groupKey, summary: `[SEV1] ${description}` };
    const first = await env.run(pagingPage, long);
    await env.run(pagingPage, { ...long, idempotencyKey: 'inc-5/page-1-again' });
    await env.run(pagingPage, { ...long, idempotencyKey: 'inc-5/page-2', level: 2 });

    const [trigger] = pagerduty.stub.calls('enqueue');
    expect(trigger.body.dedup_key).toHaveLength(255);
    expect(trigger.body.dedup_key).toMatch(/^\{\}\/\{severity="page"\}:\{alertname="CheckoutLatency", pod="checkout-0-7d9f8".*~[0-9a-f]{16}$/);
    expect(trigger.body.payload.summary).toHaveLength(1024);
    expect(trigger.body.payload.summary).toMatch(/^\[SEV1\] Checkout p99 above 2s in every region\. .*…$/);
    expect(first).toEqual({ dedupKey: trigger.body.dedup_key, delivered: true, provider: 'pagerduty' });
    // The same key and level fit to the same dedup key: a repeat adds to the open alert;
    // level 2 fits to another (the hash is of the whole key), so it opens its own.
    const [, again, second] = pagerduty.stub.calls('enqueue');
    expect(again.body.dedup_key).toBe(trigger.body.dedup_key);
    expect(second.body.dedup_key).toHaveLength(255);
    expect(second.body.dedup_key).not.toBe(trigger.body.dedup_key);
    expect(pagerduty.stub.count('alert.open')).toBe(2);
    await env.run(pagingPage, { ...long, idempotencyKey: 'inc-5/resolve', action: 'resolve' });
    expect(pagerduty.alerts.get(trigger.body.dedup_key)!.status).toBe('resolved');
  });

  it('pages through the built-in pager, not PagerDuty, when the page is a fallback', async () => {
    const { pagingPage } = activitiesFor();
    expect(await env.run(pagingPage, { ...page, fallback: true })).toEqual({ dedupKey: 'checkout-latency', delivered: true, provider: 'local' });
    expect(pagerduty.stub.calls('enqueue')).toHaveLength(0);
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
