import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { STATUSPAGE_KEY, STATUSPAGE_PAGE, startStatuspageStub, statuspageSettings } from '../../test/vendors/statuspage';

describe('Statuspage (REST against a Statuspage stub)', () => {
  let statuspage: Awaited<ReturnType<typeof startStatuspageStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...statuspageSettings(statuspage.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const open = {
    idempotencyKey: 'inc-4/status-open',
    incidentId: 'inc-4',
    title: 'Checkout is slow',
    message: 'We are investigating slow checkouts.',
    components: { Checkout: 'degraded_performance' as const },
  };

  beforeEach(async () => {
    statuspage = await startStatuspageStub(['API', 'Checkout']);
  });
  afterEach(() => statuspage.stub.stop());

  it('opens, updates and resolves one incident per step, keyed in its metadata', async () => {
    const { statusPageOpenIncident, statusPageUpdateIncident, statusPageSetComponentStatus } = activitiesFor();
    const first = await env.run(statusPageOpenIncident, open);
    const again = await env.run(statusPageOpenIncident, open);
    expect(first).toEqual({ id: 'inc1', url: 'https://stspg.example/1', created: true });
    expect(again).toEqual({ ...first, created: false });
    expect(statuspage.stub.count('incident.create')).toBe(1);

    const create = statuspage.stub.calls('createIncident')[0];
    expect(create.headers.authorization).toBe(`OAuth ${STATUSPAGE_KEY}`);
    expect(create.path).toBe(`/v1/pages/${STATUSPAGE_PAGE}/incidents`);
    expect(create.body).toEqual({
      incident: {
        name: 'Checkout is slow',
        status: 'investigating',
        body: 'We are investigating slow checkouts.',
        component_ids: ['cmp2'],
        components: { cmp2: 'degraded_performance' },
        metadata: { firebreak: { idempotency_key: 'inc-4/status-open', incident_id: 'inc-4' } },
      },
    });
    expect(statuspage.stub.calls('listIncidents')[0].query.get('q')).toBe('Checkout is slow');

    const resolve = {
      idempotencyKey: 'inc-4/status-resolve',
      statusIncidentId: first.id,
      status: 'resolved' as const,
      message: 'Fixed.',
      components: { Checkout: 'operational' as const },
    };
    await env.run(statusPageUpdateIncident, resolve);
    await env.run(statusPageUpdateIncident, resolve);
    expect(statuspage.stub.count('incident.update')).toBe(1);
    expect(statuspage.incidents[0]).toMatchObject({ status: 'resolved', metadata: { firebreak: { last_update: 'inc-4/status-resolve' } } });
    expect(statuspage.components.find((c) => c.name === 'Checkout')!.status).toBe('operational');

    await env.run(statusPageSetComponentStatus, { idempotencyKey: 'inc-4/api', component: 'API', status: 'partial_outage' });
    expect(statuspage.stub.calls('updateComponent')[0]).toMatchObject({ path: `/v1/pages/${STATUSPAGE_PAGE}/components/cmp1`, body: { component: { status: 'partial_outage' } } });
  });

  it('maps refusals to permanent failures and never shows the API key', async () => {
    await expectFailure(env.run(activitiesFor({ STATUSPAGE_API_KEY: 'not-the-key-123' }).statusPageOpenIncident, open), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Statuspage search incidents failed: HTTP 401: Could not authenticate/,
      secrets: ['not-the-key-123', STATUSPAGE_KEY],
    });
    await expectFailure(env.run(activitiesFor().statusPageOpenIncident, { ...open, components: { Payments: 'major_outage' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /no component named "Payments"/,
    });
    await expectFailure(
      env.run(activitiesFor().statusPageUpdateIncident, { idempotencyKey: 'k', statusIncidentId: 'nope', status: 'monitoring', message: 'x' }),
      { type: CapabilityFailure.Rejected, nonRetryable: true, message: /HTTP 404: Incident not found/ },
    );
    expect(statuspage.stub.count('incident.create')).toBe(0);
  });

  it('maps 429, 5xx and silence to retryable failures', async () => {
    const { statusPageOpenIncident } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(statuspage.stub, 'createIncident', () => env.run(statusPageOpenIncident, open));
    expect(statuspage.stub.count('incident.create')).toBe(0);
  });
});
