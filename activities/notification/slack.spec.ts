import { verifyAckToken } from '../../security/ack-token';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { TEST_ACK_LINKS, testResponder } from '../../test/vendors/notifications';
import { SLACK_TOKEN, slackDmSettings, startSlackStub } from '../../test/vendors/slack';

describe('Slack direct messages (@slack/web-api against the Slack stub)', () => {
  let slack: Awaited<ReturnType<typeof startSlackStub>>;
  const env = activityEnvironment();
  const dana = testResponder();

  const activitiesFor = (extra: Record<string, string> = {}, responder = dana) =>
    configuredActivities(
      { ...slackDmSettings(slack.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra },
      { responders: new Map([[responder.id, responder]]), ackLinks: TEST_ACK_LINKS },
    );
  const notification = {
    idempotencyKey: 'inc-0123456789ab/notify-r1-l1-dana-0',
    incidentId: 'inc-0123456789ab',
    responder: 'dana',
    method: 'slack' as const,
    level: 1,
    round: 1,
    incident: { title: 'Checkout <!channel> down & out', severity: 'SEV1' as const, service: 'checkout', summary: 'See <https://evil.example|the bank>' },
  };

  beforeEach(async () => {
    slack = await startSlackStub();
  });
  afterEach(() => slack.stub.stop());

  it('opens a direct conversation and posts the incident with acknowledge and open buttons', async () => {
    const { notificationSend } = activitiesFor();
    const result = await env.run(notificationSend, notification);
    expect(result).toEqual({ method: 'slack', provider: 'slack', delivered: true, vendorId: expect.any(String) });

    const [open] = slack.stub.calls('conversations.open');
    expect(open.headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(open.body).toMatchObject({ users: 'U0DANA01' });
    const conversation = slack.directMessages.get('U0DANA01')!;
    expect(conversation.messages).toHaveLength(1);
    const [post] = slack.stub.calls('chat.postMessage');
    expect(post.body).toMatchObject({
      channel: conversation.id,
      unfurl_links: 'false',
      metadata: { event_type: 'firebreak_step', event_payload: { idempotency_key: notification.idempotencyKey } },
    });
    expect(result.vendorId).toBe(conversation.messages[0].ts);

    const [header, section, actions] = post.body.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: '[SEV1] Checkout <!channel> down & out', emoji: false } });
    // What a sender wrote is escaped, so it can neither mention the channel nor smuggle a link.
    expect(section.text.text).toContain('*Service:* checkout');
    expect(section.text.text).toContain('See &lt;https://evil.example|the bank&gt;');
    expect(section.text.text).toContain('<https://firebreak.example.com/v1/incidents/inc-0123456789ab|inc-0123456789ab> (escalation level 1, round 1)');
    const [acknowledge, openIncident] = actions.elements;
    expect(openIncident.url).toBe('https://firebreak.example.com/v1/incidents/inc-0123456789ab');
    const token = /\/v1\/ack\/(.+)$/.exec(acknowledge.url)![1];
    expect(verifyAckToken(TEST_ACK_LINKS.secret, token, Date.now())).toEqual({
      ok: true,
      claims: expect.objectContaining({ incidentId: 'inc-0123456789ab', responder: 'dana' }),
    });
    expect(post.body.text).toBe(`[SEV1] Checkout &lt;!channel&gt; down &amp; out: acknowledge at ${acknowledge.url}`);
  });

  it('posts once per idempotency key, even when the answer to the first post was lost', async () => {
    const { notificationSend } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    slack.stub.fail('chat.postMessage', 'act-then-hang');
    await expectFailure(env.run(notificationSend, notification), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /timed out/ });
    const retried = await env.run(notificationSend, notification);
    expect(slack.stub.count('dm.post')).toBe(1);
    expect(retried.vendorId).toBe(slack.directMessages.get('U0DANA01')!.messages[0].ts);

    await env.run(notificationSend, { ...notification, idempotencyKey: 'inc-0123456789ab/notify-r2-l1-dana-0', round: 2 });
    expect(slack.stub.count('dm.post')).toBe(2);
    expect(slack.stub.count('dm.open')).toBe(1);
  });

  it('fits a long multibyte title into the header, and a long summary into the section', async () => {
    const { notificationSend } = activitiesFor();
    const title = `결제 서비스 장애 ${'🔥'.repeat(200)}`;
    await env.run(notificationSend, { ...notification, incident: { ...notification.incident, title, summary: '<&>'.repeat(5_000) } });
    const [header, section] = slack.stub.calls('chat.postMessage')[0].body.blocks;
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text).toMatch(/^\[SEV1\] 결제 서비스 장애 🔥+…$/u);
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    // Cut between escapes, never inside one.
    expect(section.text.text).toMatch(/\n\n(&lt;|&amp;|&gt;)+…$/);
  });

  it('maps an unknown Slack user to a permanent failure, and never shows the token', async () => {
    const stranger = { ...dana, contact: { ...dana.contact, slack: 'not-a-user' } };
    await expectFailure(env.run(activitiesFor({}, stranger).notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Slack open direct message failed: HTTP 400: user_not_found$/,
      secrets: [SLACK_TOKEN],
    });
    await expectFailure(env.run(activitiesFor({ SLACK_BOT_TOKEN: 'xoxb-wrong-0123456789' }).notificationSend, notification), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /invalid_auth/,
      secrets: ['xoxb-wrong-0123456789'],
    });
    expect(slack.stub.count('dm.post')).toBe(0);
  });

  it('maps 429, 5xx and silence to retryable failures', async () => {
    const { notificationSend } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(slack.stub, 'chat.postMessage', () => env.run(notificationSend, notification));
    expect(slack.stub.count('dm.post')).toBe(0);
  });
});
