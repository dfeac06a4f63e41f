import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { startZoomStub, ZOOM_CREDENTIALS, zoomSettings } from '../../test/vendors/zoom';

describe('Zoom video (REST with server-to-server OAuth, against a Zoom stub)', () => {
  let zoom: Awaited<ReturnType<typeof startZoomStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...zoomSettings(zoom.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const meeting = { idempotencyKey: 'inc-3/bridge', incidentId: 'inc-3', topic: 'INC-3 checkout latency bridge' };

  beforeEach(async () => {
    zoom = await startZoomStub({ pageSize: 2 });
  });
  afterEach(() => zoom.stub.stop());

  it('gets a token once, searches the host meetings for the step marker, then schedules one meeting', async () => {
    const { videoCreateMeeting } = activitiesFor();
    for (const key of ['a', 'b', 'c']) await env.run(videoCreateMeeting, { ...meeting, idempotencyKey: key });
    const first = await env.run(videoCreateMeeting, meeting);
    const second = await env.run(videoCreateMeeting, meeting);

    expect(first).toEqual({ id: expect.any(String), joinUrl: expect.stringContaining('/j/'), created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(zoom.stub.count('meeting.create')).toBe(4);
    expect(zoom.stub.calls('token')).toHaveLength(1);
    const [token] = zoom.stub.calls('token');
    expect(Object.fromEntries(token.query)).toEqual({ grant_type: 'account_credentials', account_id: ZOOM_CREDENTIALS.accountId });
    const create = zoom.stub.calls('createMeeting').at(-1)!;
    expect(create.path).toBe('/v2/users/me/meetings');
    expect(create.headers.authorization).toMatch(/^Bearer zoom-access-/);
    expect(create.body).toMatchObject({
      topic: 'INC-3 checkout latency bridge',
      type: 2,
      start_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      agenda: expect.stringMatching(/^Firebreak incident inc-3\nfirebreak-step:[0-9a-f]{16}$/),
      // Private: a passcode, the waiting room, and nobody in before the host.
      password: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      settings: { join_before_host: false, waiting_room: true },
    });
    expect(first.joinUrl).toContain(`pwd=${create.body.password}`);
    // The repeat found the meeting on a later page.
    expect(zoom.stub.calls('listMeetings').some((r) => r.query.get('next_page_token') === '2')).toBe(true);
    expect(zoom.stub.calls('listMeetings')[0].query.get('type')).toBe('scheduled');
  });

  it('fits a 200-character title plus the incident id to Zoom\'s 200-character topic', async () => {
    const { videoCreateMeeting } = activitiesFor();
    const topic = `${'Checkout is down for every customer in the EU '.repeat(5).slice(0, 200)} (inc-0123456789abcdef)`;
    const created = await env.run(videoCreateMeeting, { ...meeting, topic });
    const body = zoom.stub.calls('createMeeting')[0].body;
    expect(body.topic).toHaveLength(200);
    expect(body.topic).toMatch(/^Checkout is down .*…$/);
    expect(await env.run(videoCreateMeeting, { ...meeting, topic })).toEqual({ ...created, created: false });
  });

  it('maps refusals to permanent failures and never shows the client secret', async () => {
    await expectFailure(env.run(activitiesFor({ ZOOM_CLIENT_SECRET: 'wrong-secret-123' }).videoCreateMeeting, meeting), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Zoom get access token failed: HTTP 401: Invalid access token/,
      secrets: ['wrong-secret-123', ZOOM_CREDENTIALS.clientSecret],
    });
    zoom.stub.fail('createMeeting', { status: 400, body: { code: 300, message: 'Invalid meeting type or topic.' } });
    await expectFailure(env.run(activitiesFor().videoCreateMeeting, meeting), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 400: Invalid meeting type/,
    });
  });

  it('maps 429, 5xx and silence to retryable failures', async () => {
    const { videoCreateMeeting } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(zoom.stub, 'listMeetings', () => env.run(videoCreateMeeting, meeting));
    expect(zoom.stub.count('meeting.create')).toBe(0);
  });
});
