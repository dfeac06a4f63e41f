import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { SLACK_TOKEN, slackSettings, startSlackStub } from '../../test/vendors/slack';

describe('Slack chat (@slack/web-api against a Slack stub)', () => {
  let slack: Awaited<ReturnType<typeof startSlackStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...slackSettings(slack.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const channel = { idempotencyKey: 'inc-7/channel', incidentId: 'inc-7', name: 'INC 7: Checkout latency!', topic: 'SEV1 checkout' };

  beforeEach(async () => {
    slack = await startSlackStub({ pageSize: 2 });
  });
  afterEach(() => slack.stub.stop());

  it('creates one channel per step, found again by name across pages, with its topic', async () => {
    const { chatCreateChannel } = activitiesFor();
    for (const name of ['general', 'random', 'ops']) await env.run(chatCreateChannel, { ...channel, idempotencyKey: name, name, topic: undefined });

    const first = await env.run(chatCreateChannel, channel);
    expect(first).toMatchObject({ name: expect.stringMatching(/^inc-7-checkout-latency-[0-9a-f]{6}$/), created: true });
    const create = slack.stub.calls('conversations.create').at(-1)!;
    expect(create.headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(create.headers['content-type']).toContain('application/x-www-form-urlencoded');
    // Private by default.
    expect(create.body).toMatchObject({ name: first.name, is_private: 'true' });
    expect(slack.channels.find((c) => c.id === first.id)!.topic.value).toBe('SEV1 checkout');

    const again = await env.run(chatCreateChannel, channel);
    expect(again).toEqual({ ...first, created: false });
    expect(slack.stub.count('channel.create')).toBe(4);
    expect(slack.stub.count('channel.topic')).toBe(1);
    // The lookup read past the first page of channels.
    expect(slack.stub.calls('conversations.list').some((r) => r.body.cursor === '2')).toBe(true);
  });

  it('finds the winner when another attempt created the channel first (name_taken)', async () => {
    const { chatCreateChannel } = activitiesFor();
    const first = await env.run(chatCreateChannel, channel);
    // This attempt's lookup misses the channel (as if made concurrently), so create says name_taken.
    slack.stub.fail('conversations.list', { status: 200, body: { ok: true, channels: [], response_metadata: { next_cursor: '' } } });
    const second = await env.run(chatCreateChannel, channel);
    expect(second).toEqual({ ...first, created: false });
    expect(slack.stub.count('channel.create')).toBe(1);
  });

  it('invites only those not yet in the channel, once', async () => {
    const { chatCreateChannel, chatInvite } = activitiesFor();
    const { id } = await env.run(chatCreateChannel, channel);
    const invite = { idempotencyKey: 'inc-7/invite', channelId: id, users: ['U1', 'U2', 'U3'] };
    await env.run(chatInvite, invite);
    await env.run(chatInvite, invite);
    await env.run(chatInvite, { ...invite, users: ['U3', 'U4'] });
    expect(slack.stub.count('channel.invite')).toBe(4);
    expect(slack.stub.calls('conversations.invite').map((r) => r.body.users)).toEqual(['U1,U2,U3', 'U4']);
  });

  it('posts and pins a message once per step, marked with message metadata', async () => {
    const { chatCreateChannel, chatPostMessage, chatSetTopic } = activitiesFor();
    const { id } = await env.run(chatCreateChannel, { ...channel, topic: undefined });
    const post = { idempotencyKey: 'inc-7/announce', channelId: id, text: 'Incident declared: SEV1', pin: true };
    const first = await env.run(chatPostMessage, post);
    const second = await env.run(chatPostMessage, post);
    expect(first).toEqual({ channelId: id, ts: expect.any(String), created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(slack.stub.calls('chat.postMessage')[0].body.metadata).toEqual({
      event_type: 'firebreak_step',
      event_payload: { idempotency_key: 'inc-7/announce' },
    });
    expect(slack.stub.calls('conversations.history')[0].body.include_all_metadata).toBe('true');
    expect(slack.stub.count('message.post')).toBe(1);
    expect(slack.stub.count('message.pin')).toBe(1);

    await env.run(chatSetTopic, { idempotencyKey: 'inc-7/topic', channelId: id, topic: 'Mitigated' });
    await env.run(chatSetTopic, { idempotencyKey: 'inc-7/topic', channelId: id, topic: 'Mitigated' });
    expect(slack.stub.count('channel.topic')).toBe(1);
  });

  it('creates public channels only when the operator opts in (SLACK_PUBLIC_CHANNELS=true)', async () => {
    await env.run(activitiesFor({ SLACK_PUBLIC_CHANNELS: 'true' }).chatCreateChannel, channel);
    expect(slack.stub.calls('conversations.create')[0].body).toMatchObject({ is_private: 'false' });
    expect(slack.channels[0].is_private).toBe(false);
  });

  it('fits a 150-character service name and a long topic to Slack, and keeps finding the same channel', async () => {
    const { chatCreateChannel, chatSetTopic } = activitiesFor();
    const service = 'Checkout Payments Gateway EU West '.repeat(5).slice(0, 150);
    const long = { ...channel, name: `inc-${service}`, topic: `${'T'.repeat(200)} · ${'x'.repeat(100)}` };
    const first = await env.run(chatCreateChannel, long);
    expect(first.name.length).toBeLessThanOrEqual(80);
    expect(first.name).toMatch(/^inc-checkout-payments-gateway-eu-west-[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{6}$/);
    expect(slack.channels[0].topic.value).toHaveLength(250);
    expect(slack.channels[0].topic.value.endsWith('…')).toBe(true);
    expect(await env.run(chatCreateChannel, long)).toEqual({ ...first, created: false });
    await env.run(chatSetTopic, { idempotencyKey: 'k', channelId: first.id, topic: long.topic });
    expect(slack.stub.count('channel.topic')).toBe(1);
  });

  it('escapes message text: no mention, broadcast or disguised link reaches Slack as markup', async () => {
    const { chatCreateChannel, chatPostMessage } = activitiesFor();
    const { id } = await env.run(chatCreateChannel, channel);
    const text = 'Alert: <!channel> ping <@U123>, log in at <http://evil.example|your bank> & retry';
    await env.run(chatPostMessage, { idempotencyKey: 'inc-7/hostile', channelId: id, text });
    expect(slack.stub.calls('chat.postMessage')[0].body.text).toBe(
      'Alert: &lt;!channel&gt; ping &lt;@U123&gt;, log in at &lt;http://evil.example|your bank&gt; &amp; retry',
    );
    await env.run(chatPostMessage, { idempotencyKey: 'inc-7/huge', channelId: id, text: '<'.repeat(20_000) });
    const huge = slack.stub.calls('chat.postMessage')[1].body.text as string;
    expect(huge.length).toBeLessThanOrEqual(40_000);
    expect(huge).toMatch(/^(&lt;)+…$/);
  });

  it('maps Slack refusals to permanent failures and never shows the token', async () => {
    await expectFailure(env.run(activitiesFor({ SLACK_BOT_TOKEN: 'xoxb-wrong-token-1' }).chatCreateChannel, channel), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Slack list channels failed: HTTP 400: invalid_auth/,
      secrets: ['xoxb-wrong-token-1', SLACK_TOKEN],
    });
    await expectFailure(env.run(activitiesFor().chatSetTopic, { idempotencyKey: 'k', channelId: 'C404', topic: 'x' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /channel_not_found/,
    });
  });

  it('maps 429, 5xx, Slack internal errors and silence to retryable failures', async () => {
    const { chatCreateChannel } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(slack.stub, 'conversations.list', () => env.run(chatCreateChannel, channel));
    slack.stub.fail('conversations.create', { status: 200, body: { ok: false, error: 'internal_error' } });
    await expectFailure(env.run(chatCreateChannel, channel), { type: CapabilityFailure.Unavailable, nonRetryable: false });
    expect(slack.stub.count('channel.create')).toBe(0);
  });
});
