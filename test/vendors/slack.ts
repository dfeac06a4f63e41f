/**
 * Slack's Web API as the Slack adapters use it (api.slack.com/methods): POST
 * `/api/<method>`, form-encoded arguments (objects as JSON), the bot token as a Bearer
 * header, and `{ ok: false, error }` with HTTP 200 for refusals. Channels for the chat
 * adapter; direct messages (`conversations.open`, one conversation per user) for
 * notifications, whose posts count as `dm.post` rather than `message.post`. And the
 * `response_url`s Slack hands slash commands and button presses: POST JSON, no token (the
 * URL is the credential), at most 5 answers each, counted as `response.post`.
 */
import { StubRejection, StubServer, type StubAnswer, type StubRequest } from './stub-server';

export const SLACK_TOKEN = 'xoxb-stub-0123456789-s3cr3t';

/** The settings that point the Slack adapter at a stub at `url`. */
export const slackSettings = (url: string) => ({ CHAT_PROVIDER: 'slack', SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_API_URL: `${url}/api/` });

/** The settings that send notifications' Slack direct messages to a stub at `url`. */
export const slackDmSettings = (url: string) => ({ SLACK_DM_PROVIDER: 'slack', SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_API_URL: `${url}/api/` });

interface SlackChannelRecord {
  id: string;
  name: string;
  is_archived: boolean;
  is_private: boolean;
  topic: { value: string };
  members: string[];
  messages: Array<{ ts: string; text: string; metadata?: unknown; pinned?: boolean; blocks?: SlackBlock[] }>;
}

/** The parts of Block Kit blocks the stub checks: Slack's own limits on them. */
interface SlackBlock {
  type?: string;
  text?: { type?: string; text?: string };
  elements?: Array<{ type?: string; text?: { text?: string }; url?: string }>;
}

/** Why Slack would refuse `blocks` (`invalid_blocks`), or undefined. */
function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return 'blocks must be an array of 1 to 50 blocks';
  for (const block of blocks as SlackBlock[]) {
    if (!['header', 'section', 'actions', 'context', 'divider'].includes(block.type ?? '')) return `unknown block type ${block.type}`;
    const text = block.text?.text ?? '';
    if (block.type === 'header' && (block.text?.type !== 'plain_text' || text.length === 0 || text.length > 150)) return 'header text: plain_text, 1 to 150 characters';
    if (block.type === 'section' && (text.length === 0 || text.length > 3000)) return 'section text: 1 to 3000 characters';
    for (const element of block.elements ?? []) {
      if (element.type === 'button' && (!element.text?.text || element.text.text.length > 75)) return 'button text: 1 to 75 characters';
      if (element.url !== undefined && (element.url.length > 3000 || !/^https?:\/\//.test(element.url))) return 'button url: an http(s) URL of at most 3000 characters';
    }
  }
  return undefined;
}

const refuse = (error: string) => new StubRejection({ status: 200, body: { ok: false, error } });

export async function startSlackStub({ pageSize = 2 } = {}) {
  const channels: SlackChannelRecord[] = [];
  /** Direct conversations, one per user, as `conversations.open` makes them. */
  const directMessages = new Map<string, SlackChannelRecord>();
  let clock = 1_700_000_000;
  const stub = new StubServer({
    vendor: 'Slack',
    authorize: (request) => request.route === 'response' || request.headers.authorization === `Bearer ${SLACK_TOKEN}`,
    unauthorized: { status: 200, body: { ok: false, error: 'invalid_auth' } },
  });
  const channel = ({ body }: StubRequest) => {
    const found = channels.find((c) => c.id === body?.channel) ?? [...directMessages.values()].find((c) => c.id === body?.channel);
    if (!found) throw refuse('channel_not_found');
    return found;
  };
  /** Cursor pagination as Slack does it: an opaque cursor, empty when done. */
  const paged = <T>(items: T[], { body }: StubRequest, size: number) => {
    const start = Number(body?.cursor ?? 0);
    const next = start + size < items.length ? String(start + size) : '';
    return { page: items.slice(start, start + size), response_metadata: { next_cursor: next } };
  };
  const ok = (body: Record<string, unknown>): StubAnswer => ({ body: { ok: true, ...body } });
  const method = (name: string, handler: (request: StubRequest) => StubAnswer) => stub.route(name, 'POST', `/api/${name}`, handler);

  method('conversations.list', (request) => {
    const { page, response_metadata } = paged(channels, request, pageSize);
    return ok({ channels: page.map(({ id, name, is_archived, topic }) => ({ id, name, is_archived, topic })), response_metadata });
  });
  method('conversations.create', ({ body }) => {
    if (!/^[a-z0-9_-]{1,80}$/.test(body?.name ?? '')) throw refuse('invalid_name_specials');
    if (channels.some((c) => c.name === body.name)) throw refuse('name_taken');
    const created = {
      id: `C${String(channels.length + 1).padStart(8, '0')}`,
      name: body.name,
      is_archived: false,
      is_private: body.is_private === 'true',
      topic: { value: '' },
      members: ['UBOT'],
      messages: [],
    };
    channels.push(created);
    stub.effect('channel.create');
    return ok({ channel: { id: created.id, name: created.name, is_archived: false, topic: created.topic } });
  });
  method('conversations.setTopic', (request) => {
    const target = channel(request);
    if (String(request.body.topic).length > 250) throw refuse('too_long');
    target.topic = { value: request.body.topic };
    stub.effect('channel.topic');
    return ok({ channel: { id: target.id, topic: target.topic } });
  });
  method('conversations.info', (request) => {
    const { id, name, is_archived, topic } = channel(request);
    return ok({ channel: { id, name, is_archived, topic } });
  });
  method('conversations.members', (request) => {
    const { page, response_metadata } = paged(channel(request).members, request, pageSize);
    return ok({ members: page, response_metadata });
  });
  method('conversations.invite', (request) => {
    const target = channel(request);
    const users = String(request.body.users).split(',');
    const fresh = users.filter((user) => !target.members.includes(user));
    if (fresh.length === 0) throw refuse('already_in_channel');
    for (const user of fresh) {
      target.members.push(user);
      stub.effect('channel.invite');
    }
    return ok({ channel: { id: target.id } });
  });
  method('conversations.history', (request) => {
    const target = channel(request);
    const withMetadata = request.body.include_all_metadata === 'true';
    const newestFirst = [...target.messages].reverse().slice(0, Number(request.body.limit ?? 100));
    return ok({ messages: newestFirst.map(({ ts, text, metadata }) => ({ type: 'message', ts, text, ...(withMetadata && metadata ? { metadata } : {}) })) });
  });
  method('conversations.open', ({ body }) => {
    const user = String(body?.users ?? '');
    if (!/^[UW][A-Z0-9]{2,}$/.test(user)) throw refuse('user_not_found');
    let conversation = directMessages.get(user);
    if (!conversation) {
      conversation = { id: `D${String(directMessages.size + 1).padStart(8, '0')}`, name: user, is_archived: false, is_private: true, topic: { value: '' }, members: ['UBOT', user], messages: [] };
      directMessages.set(user, conversation);
      stub.effect('dm.open');
    }
    return ok({ channel: { id: conversation.id } });
  });
  method('chat.postMessage', (request) => {
    const target = channel(request);
    if (!request.body.text) throw refuse('no_text');
    if (String(request.body.text).length > 40_000) throw refuse('msg_too_long');
    if (request.body.blocks !== undefined && blocksProblem(request.body.blocks)) throw refuse('invalid_blocks');
    const metadata = request.body.metadata;
    if (metadata !== undefined && (typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object')) {
      throw refuse('invalid_metadata_format');
    }
    const ts = `${clock++}.000100`;
    target.messages.push({ ts, text: request.body.text, metadata, ...(request.body.blocks ? { blocks: request.body.blocks } : {}) });
    stub.effect(target.id.startsWith('D') ? 'dm.post' : 'message.post');
    return ok({ channel: target.id, ts, message: { text: request.body.text, ts } });
  });
  method('chat.update', (request) => {
    const message = channel(request).messages.find((m) => m.ts === request.body.ts);
    if (!message) throw refuse('message_not_found');
    if (!request.body.text) throw refuse('no_text');
    if (request.body.blocks !== undefined && blocksProblem(request.body.blocks)) throw refuse('invalid_blocks');
    message.text = request.body.text;
    if (request.body.blocks) message.blocks = request.body.blocks;
    else delete message.blocks;
    stub.effect('message.update');
    return ok({ channel: request.body.channel, ts: message.ts, text: message.text });
  });
  method('pins.add', (request) => {
    const message = channel(request).messages.find((m) => m.ts === request.body.timestamp);
    if (!message) throw refuse('message_not_found');
    if (message.pinned) throw refuse('already_pinned');
    message.pinned = true;
    stub.effect('message.pin');
    return ok({});
  });
  /** Answers posted to each response URL, by its path. */
  const responses = new Map<string, Array<{ response_type?: string; text?: string; replace_original?: boolean; blocks?: SlackBlock[] }>>();
  let responseUrls = 0;
  stub.route('response', 'POST', '/responses/:kind/:id', (request) => {
    const answers = responses.get(request.path);
    if (!answers) return { status: 404, body: 'expired_url' };
    if (answers.length >= 5) return { status: 404, body: 'used_url' };
    const body = request.body as Record<string, any> | undefined;
    if (typeof body !== 'object' || body === null || (!body.text && !body.blocks)) return { status: 400, body: 'no_text' };
    if (body.response_type !== undefined && !['ephemeral', 'in_channel'].includes(body.response_type)) return { status: 400, body: 'invalid_payload' };
    if (body.blocks !== undefined && blocksProblem(body.blocks)) return { status: 400, body: 'invalid_blocks' };
    answers.push(body);
    stub.effect('response.post');
    return { status: 200, body: 'ok' };
  });
  /** A fresh response URL, as Slack puts in a slash command (`commands`) or an interaction (`actions`). */
  const responseUrl = (kind: 'commands' | 'actions' = 'commands') => {
    const path = `/responses/${kind}/${++responseUrls}`;
    responses.set(path, []);
    return `${stub.url}${path}`;
  };
  /** What was posted to `url` so far. */
  const responsesTo = (url: string) => responses.get(new URL(url).pathname) ?? [];
  await stub.start();
  return { stub, channels, directMessages, responseUrl, responsesTo };
}
