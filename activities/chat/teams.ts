import type * as Graph from '@microsoft/microsoft-graph-types';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { Channel, PostedMessage } from '../../core/schemas/capabilities/chat';
import type { TeamsChatSettings } from '../../core/schemas/integrations-config';
import { fitText, VendorLimits } from '../fit';
import { type BotMessage, BotConnector } from '../teams/bot-connector';
import { cardMarker, odataString, stepMarker, teamsCard, teamsChannelName } from '../teams/fields';
import { type GraphApi, graphRefused, GUID } from '../teams/graph';
import type { ChatPort, CreateChannelCommand, InviteToChannelCommand, PostMessageCommand, SetTopicCommand, UpdateMessageCommand } from './port';

/** How many recent messages a repeated post is looked for in (Graph pages channel messages by at most 50). */
export const TEAMS_HISTORY_SCANNED = 200;
const MESSAGES_PAGE = 50;
/** At most this many pages of members are read; someone past them is added anyway, and Graph's 409 says they were in. */
const MEMBER_PAGES = 50;
/** A user principal name: what a person signs in with, `name@domain`. */
const UPN = /^[^@\s'()]+@[^@\s'()]+\.[^@\s'()]+$/;
/** Between the conversation id and the activity id in a message reference. */
const REF_SEPARATOR = '|';
/** The longest message reference kept (workflows hold them): Teams' ids are far shorter. */
export const MAX_MESSAGE_REF = 512;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/**
 * Microsoft Teams incident channels through Microsoft Graph, as an app (client credentials).
 *
 * One channel per incident in the team `TEAMS_TEAM_ID`, named from the requested name plus 6
 * hex digits of the key's digest; a repeated step finds it by name (`$filter=displayName eq …`)
 * before creating, and a create refused because the name exists finds it the same way.
 * Channels are private, owned by `TEAMS_CHANNEL_OWNER_ID` (an app cannot own one), unless the
 * operator chose standard channels (`TEAMS_PUBLIC_CHANNELS`). The topic is the channel's
 * description, plain text cut to 1,024 characters.
 *
 * Invites add the users missing from a private channel's members; a standard channel has no
 * members of its own (it is open to the whole team), so there the users missing from the team
 * are added to the team. Users are Entra ID object ids or user principal names.
 *
 * Posts go through the Bot Framework Connector as the app's bot (Graph takes app-only posts
 * only when importing history): each starts a thread in the channel (`POST v3/conversations`)
 * holding an Adaptive Card of plain text (see {@link teamsCard}) whose first block's id is
 * `firebreak-` and 32 hex digits of the key's digest. A repeated post first reads the channel's
 * last 200 messages through Graph and returns the one carrying it. The message reference is
 * `<conversation id>|<activity id>`, what an update replaces (`PUT …/activities/{id}`). A bot
 * cannot pin, so a "pinned" post is sent with high importance instead. Buttons are left out:
 * pressing one would need Firebreak to receive the bot's activities.
 */
export class TeamsChat implements ChatPort {
  private readonly team: string;
  /** The tenant's id, for the connector, when `TEAMS_TENANT_ID` is a domain: read once from Graph. */
  private tenant?: string;

  constructor(
    private readonly graph: GraphApi,
    private readonly settings: TeamsChatSettings,
    private readonly connector: BotConnector = new BotConnector(settings, graph.timeoutMs),
  ) {
    this.team = `/teams/${encodeURIComponent(settings.teamId)}`;
  }

  async createChannel({ idempotencyKey, name, topic: wanted }: CreateChannelCommand): Promise<Channel> {
    const displayName = teamsChannelName(name, idempotencyKey);
    const description = wanted === undefined ? undefined : fitText(wanted, VendorLimits.teamsChannelDescription);
    let channel = await this.findChannel(displayName);
    let created = false;
    if (!channel) {
      try {
        channel = await this.graph.post<Graph.Channel>('create channel', `${this.team}/channels`, this.newChannel(displayName, description));
        created = true;
      } catch (error) {
        // Another attempt made it first; or it was deleted, and Teams keeps a deleted channel's name.
        if (!graphRefused(error, 409) && !graphRefused(error, 400, /NameAlreadyExists|already exist/i)) throw error;
        channel = await this.findChannel(displayName);
        if (!channel) {
          throw ApplicationFailure.nonRetryable(
            `Microsoft Teams channel "${displayName}" cannot be made: the name is taken by a channel Firebreak cannot see (a deleted channel keeps its name for a while)`,
            CapabilityFailure.Rejected,
          );
        }
      }
    }
    const id = channel.id!;
    if (!created && description !== undefined && (channel.description ?? '') !== description) {
      await this.graph.patch('set description', this.channelPath(id), { description });
    }
    return { id, name: channel.displayName ?? displayName, ...(channel.webUrl ? { url: channel.webUrl } : {}), created };
  }

  async invite({ channelId, users }: InviteToChannelCommand): Promise<void> {
    const wanted = [...new Set(users)];
    wanted.forEach((user, index) => {
      if (!GUID.test(user) && !UPN.test(user)) {
        throw ApplicationFailure.create({
          message: `chatInvite: invalid input: users.${index}: a Microsoft Teams user is an Entra ID object id (a GUID) or a user principal name (name@domain)`,
          type: CapabilityFailure.InvalidInput,
          nonRetryable: true,
        });
      }
    });
    const channel = await this.graph.get<Graph.Channel>('read channel', this.channelPath(channelId));
    // A standard channel is the team's: being in it means being in the team.
    const own = channel.membershipType === 'private' || channel.membershipType === 'shared';
    const membersPath = own ? `${this.channelPath(channelId)}/members` : `${this.team}/members`;
    const present = new Set<string>();
    let next: string | undefined = membersPath;
    for (let pages = 0; next && pages < MEMBER_PAGES; pages++) {
      const page: Page<Graph.AadUserConversationMember> = await this.graph.get('list members', next);
      for (const member of page.value ?? []) {
        if (member.userId) present.add(member.userId.toLowerCase());
        if (member.email) present.add(member.email.toLowerCase());
      }
      next = page['@odata.nextLink'];
    }
    for (const user of wanted.filter((each) => !present.has(each.toLowerCase()))) {
      try {
        await this.graph.post('add member', membersPath, {
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          roles: [],
          'user@odata.bind': `${this.graph.settings.graphUrl}users(${odataString(user)})`,
        });
      } catch (error) {
        if (!graphRefused(error, 409)) throw error;
      }
    }
  }

  async postMessage({ idempotencyKey, channelId, text, pin }: PostMessageCommand): Promise<PostedMessage> {
    const marker = stepMarker(idempotencyKey);
    const earlier = await this.findStepMessage(channelId, marker);
    // A thread's conversation is the channel's, qualified by its first message's id.
    if (earlier?.id) return { channelId, ts: messageRef(`${channelId};messageid=${earlier.id}`, earlier.id), created: false };
    const activity: BotMessage = { type: 'message', attachments: [teamsCard(text, marker)], ...(pin ? { importance: 'high' as const } : {}) };
    const thread = await this.connector.startThread('post message', channelId, await this.tenantId(channelId), activity);
    const ts = messageRef(thread.conversationId, thread.activityId);
    if (ts.length > MAX_MESSAGE_REF) {
      throw this.graph.failure('post message', { status: 502, detail: `the connector answered with ids longer than ${MAX_MESSAGE_REF} characters` });
    }
    return { channelId, ts, created: true };
  }

  /** The same card again is the same message, so a retry is harmless. */
  async updateMessage({ idempotencyKey, channelId, ts, text }: UpdateMessageCommand): Promise<void> {
    const { conversationId, activityId } = parseMessageRef(channelId, ts);
    const current = await this.graph.get<Graph.ChatMessage>('read message', `${this.channelPath(channelId)}/messages/${encodeURIComponent(activityId)}`);
    // The card keeps the marker it was posted with, so the post stays findable.
    const marker = current.attachments?.map((attachment) => cardMarker(attachment.content)).find(Boolean) ?? stepMarker(idempotencyKey);
    const important = current.importance === 'high' || current.importance === 'urgent';
    await this.connector.replace('update message', conversationId, activityId, { type: 'message', attachments: [teamsCard(text, marker)], ...(important ? { importance: 'high' as const } : {}) });
  }

  async setTopic({ channelId, topic: wanted }: SetTopicCommand): Promise<void> {
    const description = fitText(wanted, VendorLimits.teamsChannelDescription);
    const channel = await this.graph.get<Graph.Channel>('read channel', this.channelPath(channelId));
    if ((channel.description ?? '') === description) return;
    await this.graph.patch('set description', this.channelPath(channelId), { description });
  }

  private newChannel(displayName: string, description: string | undefined): Record<string, unknown> {
    const base = { displayName, ...(description ? { description } : {}) };
    if (this.settings.publicChannels) return { ...base, membershipType: 'standard' };
    return {
      ...base,
      membershipType: 'private',
      members: [
        {
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          'user@odata.bind': `${this.graph.settings.graphUrl}users(${odataString(this.settings.channelOwnerId!)})`,
          roles: ['owner'],
        },
      ],
    };
  }

  private async findChannel(displayName: string): Promise<Graph.Channel | undefined> {
    const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
    const page = await this.graph.get<Page<Graph.Channel>>('find channel', `${this.team}/channels?$filter=${filter}`);
    // Teams compares channel names without regard to case.
    return page.value?.find((channel) => channel.displayName?.toLowerCase() === displayName.toLowerCase());
  }

  private async findStepMessage(channelId: string, marker: string): Promise<Graph.ChatMessage | undefined> {
    let next: string | undefined = `${this.channelPath(channelId)}/messages?$top=${MESSAGES_PAGE}`;
    for (let seen = 0; next && seen < TEAMS_HISTORY_SCANNED; ) {
      const page: Page<Graph.ChatMessage> = await this.graph.get('read messages', next);
      const found = page.value?.find((message) => message.attachments?.some((attachment) => cardMarker(attachment.content) === marker));
      if (found) return found;
      seen += Math.max(1, page.value?.length ?? 0);
      next = page['@odata.nextLink'];
    }
    return undefined;
  }

  private async tenantId(channelId: string): Promise<string> {
    if (GUID.test(this.settings.tenantId)) return this.settings.tenantId;
    if (!this.tenant) {
      const channel = await this.graph.get<Graph.Channel>('read channel', `${this.channelPath(channelId)}?$select=tenantId`);
      if (!channel.tenantId) throw this.graph.failure('read channel', { status: 502, detail: 'the channel has no tenantId' });
      this.tenant = channel.tenantId;
    }
    return this.tenant;
  }

  private channelPath(channelId: string): string {
    return `${this.team}/channels/${encodeURIComponent(channelId)}`;
  }
}

const messageRef = (conversationId: string, activityId: string) => `${conversationId}${REF_SEPARATOR}${activityId}`;

/** The conversation and activity a message reference names; a bare message id is a thread's first message. */
function parseMessageRef(channelId: string, ts: string): { conversationId: string; activityId: string } {
  const at = ts.lastIndexOf(REF_SEPARATOR);
  if (at < 0) return { conversationId: `${channelId};messageid=${ts}`, activityId: ts };
  const conversationId = ts.slice(0, at);
  const activityId = ts.slice(at + 1);
  if (!conversationId || !activityId) {
    throw ApplicationFailure.create({
      message: 'chatUpdateMessage: invalid input: ts: a Microsoft Teams message reference is <conversation id>|<activity id>, as chatPostMessage returned it',
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
    });
  }
  return { conversationId, activityId };
}
