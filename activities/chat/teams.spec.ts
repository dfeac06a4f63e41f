import fc from 'fast-check';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { BOT_FRAMEWORK_SCOPE, channelNameProblem, GRAPH_CREDENTIALS, GRAPH_USERS, startGraphStub, TEAMS_MESSAGE_LIMIT_BYTES, teamsSettings } from '../../test/vendors/graph';
import { botFrameworkScope } from '../teams/bot-connector';
import { cardMarker, stepMarker, teamsCard, teamsChannelName } from '../teams/fields';
import { MAX_MESSAGE_REF } from './teams';

describe('Microsoft Teams chat (Microsoft Graph client and the Bot Framework Connector, against their stubs)', () => {
  let graph: Awaited<ReturnType<typeof startGraphStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...teamsSettings(graph.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const channel = { idempotencyKey: 'inc-7/channel', incidentId: 'inc-7', name: 'INC 7: Checkout latency!', topic: 'SEV1 checkout' };
  const cardText = (index = -1) => graph.channels.flatMap((c) => c.messages).at(index)!.text;
  /** Activities whose channels are standard ones, where a bot may post. */
  const posting = (extra: Record<string, string> = {}) => activitiesFor({ TEAMS_PUBLIC_CHANNELS: 'true', ...extra });
  const openChannel = async ({ chatCreateChannel }: Pick<ReturnType<typeof posting>, 'chatCreateChannel'>) => (await env.run(chatCreateChannel, { ...channel, topic: undefined })).id;

  beforeEach(async () => {
    graph = await startGraphStub();
  });
  afterEach(() => graph.stub.stop());

  it('gets one app-only token with the client credentials and creates one private channel per step, owned by the configured user', async () => {
    const { chatCreateChannel } = activitiesFor();
    const first = await env.run(chatCreateChannel, channel);
    expect(first).toEqual({ id: expect.stringMatching(/^19:/), name: expect.stringMatching(/^INC 7 Checkout latency! [0-9a-f]{6}$/), url: expect.stringContaining('https://teams.example/'), created: true });

    const [token] = graph.stub.calls('token');
    expect(token.path).toBe(`/login/${GRAPH_CREDENTIALS.tenantId}/oauth2/v2.0/token`);
    expect(token.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(token.body).toEqual({
      grant_type: 'client_credentials',
      client_id: GRAPH_CREDENTIALS.clientId,
      client_secret: GRAPH_CREDENTIALS.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    const [lookup] = graph.stub.calls('channels.list');
    expect(lookup.query.get('$filter')).toBe(`displayName eq '${first.name}'`);
    const [create] = graph.stub.calls('channels.create');
    expect(create.path).toBe(`/v1.0/teams/${GRAPH_CREDENTIALS.teamId}/channels`);
    expect(create.headers.authorization).toBe('Bearer graph-access-1');
    expect(create.body).toEqual({
      displayName: first.name,
      description: 'SEV1 checkout',
      membershipType: 'private',
      members: [{ '@odata.type': '#microsoft.graph.aadUserConversationMember', 'user@odata.bind': `${graph.stub.url}/v1.0/users('${GRAPH_USERS.owner.id}')`, roles: ['owner'] }],
    });

    const again = await env.run(chatCreateChannel, channel);
    expect(again).toEqual({ ...first, created: false });
    expect(graph.stub.count('channel.create')).toBe(1);
    expect(graph.stub.count('channel.description')).toBe(0);
    // The token was reused.
    expect(graph.stub.calls('token')).toHaveLength(1);
  });

  it('never makes a second channel when the first answer was lost, or when another attempt won the race (409)', async () => {
    const { chatCreateChannel } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    graph.stub.fail('channels.create', 'act-then-hang');
    await expectFailure(env.run(chatCreateChannel, channel), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /create channel failed: no answer \(timed out\)/ });
    const retried = await env.run(chatCreateChannel, channel);
    expect(retried).toMatchObject({ created: false });
    expect(graph.stub.count('channel.create')).toBe(1);

    // This attempt's lookup misses the channel (as if made concurrently), so create answers 409.
    graph.stub.fail('channels.list', { status: 200, body: { value: [] } });
    expect(await env.run(chatCreateChannel, channel)).toEqual(retried);
    expect(graph.stub.calls('channels.create')).toHaveLength(2);
    expect(graph.stub.count('channel.create')).toBe(1);
  });

  it('refuses, without retrying, a name held by a channel it cannot see (a deleted one)', async () => {
    const { chatCreateChannel } = activitiesFor();
    const made = await env.run(chatCreateChannel, channel);
    graph.channels.find((c) => c.id === made.id)!.deleted = true;
    await expectFailure(env.run(chatCreateChannel, channel), { type: CapabilityFailure.Rejected, nonRetryable: true, message: /name is taken by a channel Firebreak cannot see/ });
  });

  it('creates standard channels when the operator opts in (TEAMS_PUBLIC_CHANNELS=true), and invites into the team', async () => {
    const { chatCreateChannel, chatInvite } = activitiesFor({ TEAMS_PUBLIC_CHANNELS: 'true', TEAMS_CHANNEL_OWNER_ID: '' });
    const made = await env.run(chatCreateChannel, channel);
    expect(graph.stub.calls('channels.create')[0].body).toEqual({ displayName: made.name, description: 'SEV1 checkout', membershipType: 'standard' });
    const invite = { idempotencyKey: 'inc-7/invite', channelId: made.id, users: [GRAPH_USERS.dana.id, GRAPH_USERS.lee.upn] };
    await env.run(chatInvite, invite);
    await env.run(chatInvite, invite);
    // Dana was in the team already; Lee joins the team, once.
    expect(graph.stub.count('team.member.add')).toBe(1);
    expect(graph.stub.count('member.add')).toBe(0);
    expect(graph.teamMembers).toContain(GRAPH_USERS.lee.id);
  });

  it('invites only those not yet in a private channel, by object id or user principal name, once', async () => {
    const { chatCreateChannel, chatInvite } = activitiesFor();
    const { id } = await env.run(chatCreateChannel, channel);
    const invite = { idempotencyKey: 'inc-7/invite', channelId: id, users: [GRAPH_USERS.owner.id, GRAPH_USERS.dana.id, GRAPH_USERS.lee.upn.toUpperCase()] };
    await env.run(chatInvite, invite);
    await env.run(chatInvite, invite);
    await env.run(chatInvite, { ...invite, users: [GRAPH_USERS.lee.id, GRAPH_USERS.sam.upn] });
    expect(graph.stub.count('member.add')).toBe(3);
    const adds = graph.stub.calls('channel.members.add');
    expect(adds.map((r) => r.body['user@odata.bind'])).toEqual([
      `${graph.stub.url}/v1.0/users('${GRAPH_USERS.dana.id}')`,
      `${graph.stub.url}/v1.0/users('${GRAPH_USERS.lee.upn.toUpperCase()}')`,
      `${graph.stub.url}/v1.0/users('${GRAPH_USERS.sam.upn}')`,
    ]);
    expect(adds[0].body).toMatchObject({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: [] });

    await expectFailure(env.run(chatInvite, { ...invite, users: [GRAPH_USERS.dana.id, 'U01DANA0001'] }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /users\.1: a Microsoft Teams user is an Entra ID object id/,
    });
  });

  it('posts an Adaptive Card once per step as the bot, through the connector, found again by its marker past the first page of messages', async () => {
    const { chatCreateChannel, chatPostMessage } = posting();
    const id = await openChannel({ chatCreateChannel });
    const post = { idempotencyKey: 'inc-7/announce', channelId: id, text: 'Incident declared: SEV1\nTicket OPS-1', pin: true };
    const first = await env.run(chatPostMessage, post);
    for (let i = 0; i < 60; i++) await env.run(chatPostMessage, { idempotencyKey: `inc-7/entry-${i}`, channelId: id, text: `entry ${i}` });
    const second = await env.run(chatPostMessage, post);
    const record = graph.channels.find((c) => c.id === id)!.messages[0];
    expect(first).toEqual({ channelId: id, ts: `${id};messageid=${record.id}|${record.id}`, created: true });
    expect(second).toEqual({ ...first, created: false });
    expect(graph.stub.count('message.post')).toBe(61);
    expect(graph.stub.calls('messages.list').some((r) => r.query.get('$skiptoken') === '50')).toBe(true);
    expect(graph.stub.calls('messages.list').every((r) => r.headers.authorization === 'Bearer graph-access-1')).toBe(true);
    // Never through Graph, which takes app-only posts only when importing history.
    expect(graph.stub.calls('messages.post')).toHaveLength(0);

    const botToken = graph.stub.calls('token').find((r) => r.body.scope === BOT_FRAMEWORK_SCOPE)!;
    expect(botToken.path).toBe(`/login/${GRAPH_CREDENTIALS.tenantId}/oauth2/v2.0/token`);
    expect(botToken.body).toEqual({ grant_type: 'client_credentials', client_id: GRAPH_CREDENTIALS.clientId, client_secret: GRAPH_CREDENTIALS.clientSecret, scope: BOT_FRAMEWORK_SCOPE });
    // One token for each audience, each reused.
    expect(graph.stub.calls('token')).toHaveLength(2);
    const [create] = graph.stub.calls('bot.conversations.create');
    expect(create.path).toBe('/bot/v3/conversations');
    expect(create.headers.authorization).toBe('Bearer bot-access-1');
    expect(create.body).toEqual({
      isGroup: true,
      channelData: { channel: { id }, tenant: { id: GRAPH_CREDENTIALS.tenantId } },
      // A bot cannot pin: a pinned post goes out with high importance.
      activity: { type: 'message', importance: 'high', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: expect.objectContaining({ type: 'AdaptiveCard' }) }] },
    });
    expect(create.body.activity.attachments[0].content.body[0].id).toBe(stepMarker('inc-7/announce'));
    expect(stepMarker('inc-7/announce')).toMatch(/^firebreak-[0-9a-f]{32}$/);
    expect(cardText(0)).toBe('Incident declared: SEV1\nTicket OPS-1');
  });

  it('never posts twice when the connector acted but its answer was lost, and the found message can be updated', async () => {
    const { chatCreateChannel, chatPostMessage, chatUpdateMessage } = posting({ INTEGRATIONS_TIMEOUT_MS: '300' });
    const id = await openChannel({ chatCreateChannel });
    const post = { idempotencyKey: 'inc-7/lost', channelId: id, text: 'first words' };
    graph.stub.fail('bot.conversations.create', 'act-then-hang');
    await expectFailure(env.run(chatPostMessage, post), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /post message failed: no answer \(timed out\)/ });
    const retried = await env.run(chatPostMessage, post);
    expect(retried).toMatchObject({ created: false });
    expect(graph.stub.count('message.post')).toBe(1);
    expect(graph.stub.calls('bot.conversations.create')).toHaveLength(1);

    await env.run(chatUpdateMessage, { idempotencyKey: 'inc-7/lost-2', channelId: id, ts: retried.ts, text: 'second words' });
    expect(cardText()).toBe('second words');
    expect(graph.stub.count('message.update')).toBe(1);
  });

  it('updates a message in place through the connector (PUT), keeping its marker, and sets the description only when it changes', async () => {
    const { chatCreateChannel, chatPostMessage, chatUpdateMessage, chatSetTopic } = posting();
    const id = await openChannel({ chatCreateChannel });
    const posted = await env.run(chatPostMessage, { idempotencyKey: 'inc-7/header', channelId: id, text: 'SEV1 · triggered', pin: true });
    const update = { idempotencyKey: 'inc-7/header-2', channelId: id, ts: posted.ts, text: 'SEV1 · acknowledged by Dana' };
    await env.run(chatUpdateMessage, update);
    await env.run(chatUpdateMessage, update);
    const record = graph.channels.find((c) => c.id === id)!.messages[0];
    const [put] = graph.stub.calls('bot.activity.update');
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/bot/v3/conversations/${encodeURIComponent(`${id};messageid=${record.id}`)}/activities/${record.id}`);
    expect(put.headers.authorization).toBe('Bearer bot-access-1');
    expect(put.body).toMatchObject({ type: 'message', id: record.id, importance: 'high' });
    expect(put.body.attachments[0].content.body[0].id).toBe(stepMarker('inc-7/header'));
    expect(cardText()).toBe('SEV1 · acknowledged by Dana');
    expect(graph.stub.count('message.update')).toBe(2);
    // Never through Graph, which lets an app change only a message's policy violation.
    expect(graph.stub.calls('message.patch')).toHaveLength(0);
    // A repeat of the original post still finds it.
    expect(await env.run(chatPostMessage, { idempotencyKey: 'inc-7/header', channelId: id, text: 'SEV1 · triggered' })).toEqual({ ...posted, created: false });

    await expectFailure(env.run(chatUpdateMessage, { ...update, ts: `${id};messageid=1|` }), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /ts: a Microsoft Teams message reference/ });

    await env.run(chatSetTopic, { idempotencyKey: 'inc-7/topic', channelId: id, topic: 'Mitigated' });
    await env.run(chatSetTopic, { idempotencyKey: 'inc-7/topic', channelId: id, topic: 'Mitigated' });
    expect(graph.stub.count('channel.description')).toBe(1);
    expect(graph.stub.calls('channel.patch')[0].body).toEqual({ description: 'Mitigated' });
  });

  it('keeps text plain: markup, mentions and links stay characters in a text run', async () => {
    const { chatCreateChannel, chatPostMessage } = posting();
    const id = await openChannel({ chatCreateChannel });
    const text = 'Alert: <at id="0">Everyone</at> **now** [your bank](http://evil.example) </attachment> "quoted" & done';
    await env.run(chatPostMessage, { idempotencyKey: 'inc-7/hostile', channelId: id, text });
    const card = graph.stub.calls('bot.conversations.create')[0].body.activity.attachments[0].content;
    expect(card.body).toEqual([{ type: 'RichTextBlock', id: stepMarker('inc-7/hostile'), inlines: [{ type: 'TextRun', text }] }]);
    expect(cardText()).toBe(text);
  });

  it('fits long and multibyte names, descriptions and messages to Teams', async () => {
    const { chatCreateChannel } = activitiesFor();
    const service = 'Checkout Payments Gateway EU West '.repeat(5).slice(0, 150);
    const long = { ...channel, name: `inc-${service}`, topic: `${'T'.repeat(1100)}` };
    const made = await env.run(chatCreateChannel, long);
    expect(made.name.length).toBeLessThanOrEqual(50);
    expect(made.name).toMatch(/^inc-Checkout Payments Gateway EU West.*… [0-9a-f]{6}$/);
    expect(graph.channels.find((c) => c.id === made.id)!.description).toHaveLength(1024);
    expect(await env.run(chatCreateChannel, long)).toEqual({ ...made, created: false });

    // 4-byte characters, and characters JSON escapes, count for more than they look.
    const { chatPostMessage, chatUpdateMessage, ...rest } = posting();
    const id = await openChannel(rest);
    for (const text of ['🔥'.repeat(16_000), '"'.repeat(30_000), 'é'.repeat(30_000), '\u0001'.repeat(10_000)]) {
      const posted = await env.run(chatPostMessage, { idempotencyKey: `inc-7/${text[0]}`, channelId: id, text });
      expect(posted.created).toBe(true);
      const sent = graph.stub.calls('bot.conversations.create').at(-1)!.body;
      expect(Buffer.byteLength(JSON.stringify(sent), 'utf8')).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
      expect(cardText()).toMatch(/…$/);
      expect(cardText().startsWith(text.slice(0, 100))).toBe(true);
      await env.run(chatUpdateMessage, { idempotencyKey: `inc-7/${text[0]}-2`, channelId: id, ts: posted.ts, text: `${text}.` });
      expect(Buffer.byteLength(JSON.stringify(graph.stub.calls('bot.activity.update').at(-1)!.body), 'utf8')).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
    }
  });

  it('keeps any text within the limit, marked, with its paragraphs, the same for the same input', () => {
    // Short texts, and long ones made of a repeated piece (multibyte, escaped, line breaks) with any tail.
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.integer({ min: 1_000, max: 16_000 }), fc.string({ unit: 'binary', maxLength: 50 })).map(([piece, times, tail]) => piece.repeat(times) + tail),
    );
    fc.assert(
      fc.property(texts, fc.string({ minLength: 1, maxLength: 80 }), (text, key) => {
        const card = teamsCard(text, stepMarker(key));
        const envelope = { isGroup: true, channelData: { channel: { id: `19:${'a'.repeat(64)}@thread.tacv2` }, tenant: { id: GRAPH_CREDENTIALS.tenantId } }, activity: { type: 'message', importance: 'high', attachments: [card] } };
        expect(Buffer.byteLength(JSON.stringify(envelope), 'utf8')).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
        expect(cardMarker(JSON.stringify(card.content))).toBe(stepMarker(key));
        expect(card.content.body.length).toBeLessThanOrEqual(40);
        expect(teamsCard(text, stepMarker(key))).toEqual(card);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses, without retrying, a post where the bot may not post: not installed in the team, or a private channel', async () => {
    const { chatCreateChannel, chatPostMessage } = posting();
    const id = await openChannel({ chatCreateChannel });
    graph.botInstalled.value = false;
    await expectFailure(env.run(chatPostMessage, { idempotencyKey: 'inc-7/nobot', channelId: id, text: 'hello' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /post message failed: HTTP 403: BotNotInConversationRoster: .* — .*install the Firebreak app \(docs\/teams-app-manifest\.json\) in the team TEAMS_TEAM_ID/,
    });
    graph.botInstalled.value = true;
    const { id: privateId } = await env.run(activitiesFor().chatCreateChannel, { ...channel, idempotencyKey: 'inc-8/channel' });
    await expectFailure(env.run(activitiesFor().chatPostMessage, { idempotencyKey: 'inc-8/post', channelId: privateId, text: 'hello' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 403: .*a bot cannot post in a private channel \(TEAMS_PUBLIC_CHANNELS=true/,
    });
    graph.stub.fail('bot.conversations.create', { status: 401, body: { message: 'Authorization has been denied for this request.' } });
    await expectFailure(env.run(chatPostMessage, { idempotencyKey: 'inc-7/wrong-bot', channelId: id, text: 'hello' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 401: Authorization has been denied for this request\. — the Bot Framework refused the bot's token: register TEAMS_CLIENT_ID as a single-tenant Azure Bot/,
    });
    expect(graph.stub.count('message.post')).toBe(0);
  });

  it('maps the connector\u2019s 429 (honouring Retry-After), 5xx and silence to retryable failures, then posts once', async () => {
    const { chatCreateChannel, chatPostMessage, chatUpdateMessage } = posting({ INTEGRATIONS_TIMEOUT_MS: '300' });
    const id = await openChannel({ chatCreateChannel });
    const post = { idempotencyKey: 'inc-7/busy', channelId: id, text: 'hello' };
    await expectTransientFaultsRetried(graph.stub, 'bot.conversations.create', () => env.run(chatPostMessage, post));
    graph.stub.fail('bot.conversations.create', { status: 429, headers: { 'retry-after': '4' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } });
    await expectFailure(env.run(chatPostMessage, post), { type: CapabilityFailure.Throttled, nonRetryable: false, nextRetryDelay: 4000, message: /post message failed: HTTP 429: TooManyRequests/ });
    // An answer without usable ids is the connector's fault: retried.
    graph.stub.fail('bot.conversations.create', { status: 201, body: { id: `19:${'x'.repeat(MAX_MESSAGE_REF)}@thread.tacv2`, activityId: '1' } }, { status: 201, body: {} });
    await expectFailure(env.run(chatPostMessage, post), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /HTTP 502: the connector answered with ids longer than 512 characters/ });
    await expectFailure(env.run(chatPostMessage, post), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /HTTP 502: the answer holds no conversation id or activity id/ });
    const posted = await env.run(chatPostMessage, post);
    expect(posted.created).toBe(true);
    expect(graph.stub.count('message.post')).toBe(1);
    await expectTransientFaultsRetried(graph.stub, 'bot.activity.update', () => env.run(chatUpdateMessage, { idempotencyKey: 'inc-7/busy-2', channelId: id, ts: posted.ts, text: 'again' }));
    expect(graph.stub.count('message.update')).toBe(0);
  });

  it('asks for a token for the connector of its cloud: the public one, or the US Government one', () => {
    expect(botFrameworkScope('https://smba.trafficmanager.net/teams/')).toBe('https://api.botframework.com/.default');
    expect(botFrameworkScope('https://smba.infra.gcc.teams.microsoft.com/teams/')).toBe('https://api.botframework.com/.default');
    expect(botFrameworkScope('https://smba.infra.gov.teams.microsoft.us/teams/')).toBe('https://api.botframework.us/.default');
    expect(botFrameworkScope('https://smba.infra.dod.teams.microsoft.us/teams/')).toBe('https://api.botframework.us/.default');
  });

  it('names the tenant by id in the connector\u2019s request when TEAMS_TENANT_ID is the tenant\u2019s domain (read once from Graph)', async () => {
    const { chatCreateChannel, chatPostMessage } = posting({ TEAMS_TENANT_ID: GRAPH_CREDENTIALS.tenantDomain });
    const id = await openChannel({ chatCreateChannel });
    await env.run(chatPostMessage, { idempotencyKey: 'inc-7/a', channelId: id, text: 'a' });
    await env.run(chatPostMessage, { idempotencyKey: 'inc-7/b', channelId: id, text: 'b' });
    expect(graph.stub.calls('bot.conversations.create').map((r) => r.body.channelData.tenant.id)).toEqual([GRAPH_CREDENTIALS.tenantId, GRAPH_CREDENTIALS.tenantId]);
    expect(graph.stub.calls('channel.get').filter((r) => r.query.get('$select') === 'tenantId')).toHaveLength(1);
    expect(graph.stub.calls('token').every((r) => r.path === `/login/${GRAPH_CREDENTIALS.tenantDomain}/oauth2/v2.0/token`)).toBe(true);
  });

  it('makes a name Teams accepts from any requested name, the same for the same key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ minLength: 1, maxLength: 80 }), (name, key) => {
        const fitted = teamsChannelName(name, key);
        expect(channelNameProblem(fitted)).toBeUndefined();
        expect(fitted.length).toBeLessThanOrEqual(50);
        expect(teamsChannelName(name, key)).toBe(fitted);
      }),
      { numRuns: 300 },
    );
    expect(teamsChannelName('._.. secret: ~#%&*{}+/\\:<>?|\'",', 'k')).toMatch(/^secret [0-9a-f]{6}$/);
    expect(teamsChannelName('...', 'k')).toMatch(/^incident [0-9a-f]{6}$/);
  });

  it('maps refusals to permanent failures and never shows the client secret', async () => {
    const wrong = 'wrong-client-secret-42';
    await expectFailure(env.run(activitiesFor({ TEAMS_CLIENT_SECRET: wrong }).chatCreateChannel, channel), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Microsoft Teams get access token failed: HTTP 401: invalid_client: AADSTS7000215/,
      secrets: [wrong, GRAPH_CREDENTIALS.clientSecret],
    });
    // Even when the identity platform repeats the secret back, it is scrubbed.
    graph.stub.fail('token', { status: 400, body: { error: 'invalid_request', error_description: `client_secret ${GRAPH_CREDENTIALS.clientSecret} malformed` } });
    const echoed = await expectFailure(env.run(activitiesFor().chatCreateChannel, channel), { type: CapabilityFailure.Rejected, nonRetryable: true, secrets: [GRAPH_CREDENTIALS.clientSecret] });
    expect(echoed.message).toContain('[redacted]');

    // The bot's token too.
    const { chatCreateChannel, chatPostMessage } = posting();
    const id = await openChannel({ chatCreateChannel });
    graph.stub.fail('token', { status: 400, body: { error: 'invalid_request', error_description: `client_secret ${GRAPH_CREDENTIALS.clientSecret} malformed` } });
    const bot = await expectFailure(env.run(chatPostMessage, { idempotencyKey: 'inc-7/p', channelId: id, text: 'x' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Microsoft Teams get bot access token failed: HTTP 400: invalid_request/,
      secrets: [GRAPH_CREDENTIALS.clientSecret],
    });
    expect(bot.message).toContain('[redacted]');

    await expectFailure(env.run(activitiesFor().chatSetTopic, { idempotencyKey: 'k', channelId: '19:missing@thread.tacv2', topic: 'x' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Microsoft Teams read channel failed: HTTP 404: NotFound: Channel not found/,
    });
  });

  it('maps 429 (honouring Retry-After), 5xx and silence to retryable failures, then succeeds once', async () => {
    const { chatCreateChannel } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(graph.stub, 'channels.list', () => env.run(chatCreateChannel, channel));
    graph.stub.fail('channels.create', { status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } });
    await expectFailure(env.run(chatCreateChannel, channel), { type: CapabilityFailure.Throttled, nonRetryable: false, nextRetryDelay: 3000, message: /TooManyRequests/ });
    expect(graph.stub.count('channel.create')).toBe(0);
    expect(await env.run(chatCreateChannel, channel)).toMatchObject({ created: true });
    graph.stub.fail('token', { status: 503, body: { error: 'temporarily_unavailable', error_description: 'AADSTS50196: try again' } });
    await expectFailure(env.run(activitiesFor().chatCreateChannel, channel), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /get access token failed: HTTP 503/ });
    expect(graph.stub.count('channel.create')).toBe(1);
  });
});
