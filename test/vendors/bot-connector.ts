/**
 * The Bot Framework Connector for Teams as the Teams chat adapter uses it
 * (learn.microsoft.com/azure/bot-service/rest-api): with a bearer token the identity platform
 * issued for `https://api.botframework.com/.default`, `POST /v3/conversations` starts a thread
 * in a channel (`isGroup`, `channelData.channel.id`, `channelData.tenant.id`, a message activity
 * with one Adaptive Card) and answers `{ id: "<channel>;messageid=<activity>", activityId }`;
 * `PUT /v3/conversations/{conversation}/activities/{activity}` replaces it. Refuses what Teams
 * refuses: another token (401), a bot not installed in the team or a private channel (403), an
 * unknown channel (404), oversized messages (413). Routes are mounted under `/bot/` on the
 * Graph stub's server, and messages land in its channels, where Graph's reads find them.
 */
import { StubRejection, type StubRequest, type StubServer } from './stub-server';

/** Teams' size limit on a message, as the stubs enforce it: the request body's UTF-8 bytes. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;

export interface BotChannel {
  id: string;
  membershipType: 'standard' | 'private';
  deleted?: boolean;
  messages: BotMessageRecord[];
}

/** A message as Teams keeps it: Graph's view (`id`, `body`, `attachments` with the card as a string, `importance`) and what the bot knows. */
export interface BotMessageRecord {
  id: string;
  body: { contentType: string; content: string };
  attachments: Array<{ id: string; contentType: string; content: string }>;
  importance: string;
  from: { application: { id: string; displayName: string; applicationIdentityType: 'bot' } };
  /** The thread's conversation id, as the connector answered it. */
  conversationId: string;
  /** The card's text runs, as a reader sees them. */
  text: string;
}

export interface BotConnectorState {
  tenantId: string;
  botId: string;
  channels: BotChannel[];
  /** Tokens issued for the Bot Framework's scope. */
  tokens: Set<string>;
  /** Whether the app is installed in the team. */
  installed: { value: boolean };
  nextId: () => number;
}

const connectorError = (status: number, code: string, message: string) => new StubRejection({ status, body: { error: { code, message } } });

/** A message activity's card as Teams checks it; its text and its size. */
function checkActivity(activity: any): { card: any; text: string; importance: string } {
  if (activity?.type !== 'message') throw connectorError(400, 'BadArgument', 'activity.type must be message');
  const attachments = Array.isArray(activity.attachments) ? activity.attachments : [];
  if (attachments.length !== 1) throw connectorError(400, 'BadArgument', 'Expected one attachment');
  const [attachment] = attachments;
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') throw connectorError(400, 'BadArgument', 'Unsupported attachment contentType');
  const card = attachment.content;
  if (card?.type !== 'AdaptiveCard' || !Array.isArray(card.body)) throw connectorError(400, 'BadArgument', 'Attachment content is not an Adaptive Card');
  const text = card.body
    .map((block: any) => {
      if (block.type !== 'RichTextBlock' || !Array.isArray(block.inlines)) throw connectorError(400, 'BadArgument', `Unexpected card element ${block.type}`);
      return block.inlines
        .map((run: any) => {
          if (run.type !== 'TextRun' || typeof run.text !== 'string') throw connectorError(400, 'BadArgument', 'Unexpected inline');
          return run.text;
        })
        .join('');
    })
    .join('\n');
  if (activity.importance !== undefined && !['low', 'normal', 'high'].includes(activity.importance)) throw connectorError(400, 'BadArgument', 'Invalid importance');
  return { card, text, importance: activity.importance ?? 'normal' };
}

/** Adds the connector's routes (named `bot.*`) to `stub`; its `authorize` must let them through, since they check their own tokens. */
export function addBotConnector(stub: StubServer, state: BotConnectorState): void {
  const bearer = (request: StubRequest) => {
    if (!state.tokens.has(String(request.headers.authorization).replace(/^Bearer /, ''))) {
      throw new StubRejection({ status: 401, body: { message: 'Authorization has been denied for this request.' } });
    }
  };
  const tooBig = (request: StubRequest) => {
    const size = Buffer.byteLength(JSON.stringify(request.body ?? {}), 'utf8');
    if (size > TEAMS_MESSAGE_LIMIT_BYTES) throw connectorError(413, 'MessageSizeTooBig', `Message size ${size} exceeds the limit`);
  };
  const graphView = (id: string, checked: ReturnType<typeof checkActivity>) => {
    const attachmentId = `att${id}`;
    return {
      body: { contentType: 'html', content: `<attachment id="${attachmentId}"></attachment>` },
      attachments: [{ id: attachmentId, contentType: 'application/vnd.microsoft.card.adaptive', content: JSON.stringify(checked.card) }],
      importance: checked.importance,
      text: checked.text,
    };
  };

  stub
    .route('bot.conversations.create', 'POST', '/bot/v3/conversations', (request) => {
      bearer(request);
      const { body } = request;
      if (body?.isGroup !== true) throw connectorError(400, 'BadArgument', 'isGroup must be true for a channel conversation');
      if (body.channelData?.tenant?.id !== state.tenantId) throw connectorError(400, 'BadArgument', 'channelData.tenant.id must be the tenant id');
      const channel = state.channels.find((c) => c.id === body.channelData?.channel?.id && !c.deleted);
      if (!channel) throw connectorError(404, 'ConversationNotFound', 'Conversation not found.');
      if (!state.installed.value || channel.membershipType === 'private') {
        throw connectorError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
      }
      tooBig(request);
      const checked = checkActivity(body.activity);
      const id = String(1_700_000_000_000 + state.nextId());
      const record: BotMessageRecord = {
        id,
        ...graphView(id, checked),
        from: { application: { id: state.botId, displayName: 'Firebreak', applicationIdentityType: 'bot' } },
        conversationId: `${channel.id};messageid=${id}`,
      };
      channel.messages.push(record);
      stub.effect('message.post');
      return { status: 201, body: { id: record.conversationId, activityId: id } };
    })
    .route('bot.activity.update', 'PUT', '/bot/v3/conversations/:conversation/activities/:activity', (request) => {
      bearer(request);
      const { conversation, activity } = request.params;
      const message = state.channels.flatMap((c) => (c.deleted ? [] : c.messages)).find((m) => m.conversationId === conversation && m.id === activity);
      if (!message) throw connectorError(404, 'ActivityNotFoundInConversation', 'The activity was not found in the conversation.');
      if (!state.installed.value) throw connectorError(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
      if (request.body?.id !== undefined && request.body.id !== activity) throw connectorError(400, 'BadArgument', 'activity.id must match the path');
      tooBig(request);
      Object.assign(message, graphView(activity, checkActivity(request.body)));
      stub.effect('message.update');
      return { body: { id: activity } };
    });
}
