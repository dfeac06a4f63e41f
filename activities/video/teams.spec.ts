import { graphScope } from '../teams/graph';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { GRAPH_CREDENTIALS, GRAPH_USERS, startGraphStub, teamsSettings } from '../../test/vendors/graph';

describe('Microsoft Teams video (onlineMeetings/createOrGet through the Graph client, against a Graph stub)', () => {
  let graph: Awaited<ReturnType<typeof startGraphStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...teamsSettings(graph.stub.url), CHAT_PROVIDER: 'local', INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const meeting = { idempotencyKey: 'inc-3/bridge', incidentId: 'inc-3', topic: 'INC-3 checkout latency bridge' };

  beforeEach(async () => {
    graph = await startGraphStub();
  });
  afterEach(() => graph.stub.stop());

  it('creates one meeting per step for the organizer, keyed by its external id, and returns its join link', async () => {
    const { videoCreateMeeting } = activitiesFor();
    const first = await env.run(videoCreateMeeting, meeting);
    const second = await env.run(videoCreateMeeting, meeting);
    const other = await env.run(videoCreateMeeting, { ...meeting, idempotencyKey: 'inc-4/bridge' });

    expect(first).toEqual({ id: expect.any(String), joinUrl: expect.stringMatching(/^https:\/\/teams\.example\/l\/meetup-join\//), created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(other.id).not.toBe(first.id);
    expect(graph.stub.count('meeting.create')).toBe(2);
    expect(graph.stub.calls('token')).toHaveLength(1);
    expect(graph.stub.calls('token')[0].body).toMatchObject({ client_id: GRAPH_CREDENTIALS.clientId, client_secret: GRAPH_CREDENTIALS.clientSecret, grant_type: 'client_credentials' });
    const [create] = graph.stub.calls('meetings.createOrGet');
    expect(create.path).toBe(`/v1.0/users/${GRAPH_USERS.organizer.id}/onlineMeetings/createOrGet`);
    expect(create.headers.authorization).toBe('Bearer graph-access-1');
    expect(create.body).toEqual({ externalId: expect.stringMatching(/^firebreak-[0-9a-f]{32}$/), subject: 'INC-3 checkout latency bridge' });
  });

  it('never makes a second meeting when the first answer was lost', async () => {
    const { videoCreateMeeting } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    graph.stub.fail('meetings.createOrGet', 'act-then-hang');
    await expectFailure(env.run(videoCreateMeeting, meeting), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /create meeting failed: no answer \(timed out\)/ });
    const retried = await env.run(videoCreateMeeting, meeting);
    expect(retried).toMatchObject({ joinUrl: graph.meetings[0].joinWebUrl, created: false });
    expect(graph.stub.count('meeting.create')).toBe(1);
  });

  it('fits a long, multibyte topic to 255 characters, the same each time', async () => {
    const { videoCreateMeeting } = activitiesFor();
    const topic = `${'Paiement échoué 💳 pour tous les clients '.repeat(10)} (inc-0123456789abcdef)`;
    const created = await env.run(videoCreateMeeting, { ...meeting, topic });
    const subject = graph.stub.calls('meetings.createOrGet')[0].body.subject as string;
    expect(subject.length).toBeLessThanOrEqual(255);
    expect(subject).toMatch(/^Paiement échoué 💳 .*…$/);
    expect(await env.run(videoCreateMeeting, { ...meeting, topic })).toEqual({ ...created, created: false });
    expect(graph.stub.calls('meetings.createOrGet')[1].body.subject).toBe(subject);
  });

  it('maps refusals (no access policy, bad secret) to permanent failures and never shows the client secret', async () => {
    graph.meetingPolicy.clear();
    await expectFailure(env.run(activitiesFor().videoCreateMeeting, meeting), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Microsoft Teams create meeting failed: HTTP 403: Forbidden: .*application access policy/,
      secrets: [GRAPH_CREDENTIALS.clientSecret],
    });
    await expectFailure(env.run(activitiesFor({ TEAMS_CLIENT_SECRET: 'not-the-secret-000' }).videoCreateMeeting, meeting), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /get access token failed: HTTP 401/,
      secrets: ['not-the-secret-000', GRAPH_CREDENTIALS.clientSecret],
    });
    expect(graph.stub.count('meeting.create')).toBe(0);
  });

  it('maps 429 (honouring Retry-After), 5xx and silence to retryable failures, then creates the meeting once', async () => {
    const { videoCreateMeeting } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(graph.stub, 'meetings.createOrGet', () => env.run(videoCreateMeeting, meeting));
    expect(graph.stub.count('meeting.create')).toBe(0);
    expect(await env.run(videoCreateMeeting, meeting)).toMatchObject({ created: true });
    expect(graph.stub.count('meeting.create')).toBe(1);
  });
});

describe('Graph token scope', () => {
  it("asks a national cloud's Graph for its own scope, and the global one elsewhere (also behind a proxy)", () => {
    expect(graphScope('https://graph.microsoft.com/v1.0/')).toBe('https://graph.microsoft.com/.default');
    expect(graphScope('https://graph.microsoft.us/v1.0/')).toBe('https://graph.microsoft.us/.default');
    expect(graphScope('https://microsoftgraph.chinacloudapi.cn/v1.0/')).toBe('https://microsoftgraph.chinacloudapi.cn/.default');
    expect(graphScope('http://127.0.0.1:4100/v1.0/')).toBe('https://graph.microsoft.com/.default');
  });
});
