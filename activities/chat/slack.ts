import {
  ErrorCode,
  LogLevel,
  WebClient,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  type WebAPIRequestError,
} from '@slack/web-api';
import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { Channel, ChatButton, PostedMessage } from '../../core/schemas/capabilities/chat';
import type { SlackSettings } from '../../core/schemas/integrations-config';
import { fitText, VendorLimits } from '../fit';
import { describeNetworkError, parseRetryAfter, type VendorCallProblem, vendorFailure, vendorMessage } from '../http-failures';
import { slackText } from '../markup';
import { keyDigest } from '../step-input';
import {
  type ChatPort,
  type CreateChannelCommand,
  type InviteToChannelCommand,
  type PostMessageCommand,
  type SetTopicCommand,
  type UpdateMessageCommand,
  channelSlug,
} from './port';

const VENDOR = 'Slack';
/** The message-metadata event type that marks Firebreak's posts. */
export const SLACK_STEP_EVENT = 'firebreak_step';
/** How many recent messages a repeated post is looked for in. */
export const HISTORY_SCANNED = 200;
/** Platform errors that say "try again", not "no". */
const RETRYABLE_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/**
 * The official Slack client, with its own retries off: Temporal retries the activity, and a
 * rate-limited call fails at once with its Retry-After instead of sleeping inside it.
 */
export function createSlackClient(settings: Pick<SlackSettings, 'botToken' | 'apiUrl'>, timeoutMs: number): WebClient {
  return new WebClient(settings.botToken.reveal(), {
    slackApiUrl: settings.apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
}

interface SlackChannel {
  id: string;
  name: string;
  is_archived?: boolean;
  topic?: { value?: string };
}

export interface SlackMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { idempotency_key?: string } };
}

/**
 * Slack incident channels. A channel's name is the slug of the requested name plus a digest
 * of the idempotency key, so a repeated step looks it up by name (and a lost race on create,
 * `name_taken`, finds the winner). Each post carries the key in Slack message metadata
 * (`firebreak_step`); a repeated post finds it among the channel's last 200 messages. Invites
 * go only to those not yet members; a topic already set is not set again.
 *
 * Channels are private unless the operator opted in to public ones (`SLACK_PUBLIC_CHANNELS`).
 * Message text is plain: `&`, `<` and `>` are escaped, so no mention or link can be smuggled
 * in, and it is cut to Slack's 40,000 characters; topics (which Slack shows unformatted) are
 * cut to 250. Channel names are slugs of at most 80 characters.
 */
export class SlackChat implements ChatPort {
  private readonly secrets: string[];
  private readonly publicChannels: boolean;

  constructor(
    private readonly slack: WebClient,
    settings: Pick<SlackSettings, 'botToken'> & Partial<Pick<SlackSettings, 'publicChannels'>>,
  ) {
    this.secrets = [settings.botToken.reveal()];
    this.publicChannels = settings.publicChannels ?? false;
  }

  async createChannel({ idempotencyKey, name, topic: wanted }: CreateChannelCommand): Promise<Channel> {
    const suffix = keyDigest(idempotencyKey, 6);
    const channelName = `${channelSlug(name, VendorLimits.slackChannelName - suffix.length - 1)}-${suffix}`;
    const topic = wanted === undefined ? undefined : fitText(wanted, VendorLimits.slackTopic);
    let channel = await this.findChannel(channelName);
    let created = false;
    if (!channel) {
      try {
        const answer = await this.slack.conversations.create({ name: channelName, is_private: !this.publicChannels });
        channel = answer.channel as SlackChannel;
        created = true;
      } catch (error) {
        if (platformError(error) !== 'name_taken') throw this.failure('create channel', error);
        channel = await this.findChannel(channelName);
        if (!channel) throw this.failure('create channel', error);
      }
    }
    if (channel.is_archived) {
      throw ApplicationFailure.nonRetryable(`Slack channel #${channelName} exists but is archived`, CapabilityFailure.Rejected);
    }
    if (topic && channel.topic?.value !== topic) {
      await this.call('set topic', () => this.slack.conversations.setTopic({ channel: channel.id, topic }));
    }
    return { id: channel.id, name: channel.name, url: `https://slack.com/app_redirect?channel=${channel.id}`, created };
  }

  async invite({ channelId, users }: InviteToChannelCommand): Promise<void> {
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.call('list members', () =>
        this.slack.conversations.members({ channel: channelId, limit: 1000, ...(cursor ? { cursor } : {}) }),
      );
      for (const member of page.members ?? []) members.add(member);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    const missing = [...new Set(users)].filter((user) => !members.has(user));
    if (missing.length === 0) return;
    try {
      await this.slack.conversations.invite({ channel: channelId, users: missing.join(',') });
    } catch (error) {
      if (platformError(error) !== 'already_in_channel') throw this.failure('invite', error);
    }
  }

  async postMessage({ idempotencyKey, channelId, text, pin, buttons }: PostMessageCommand): Promise<PostedMessage> {
    const history = await this.call('read history', () =>
      this.slack.conversations.history({ channel: channelId, limit: HISTORY_SCANNED, include_all_metadata: true }),
    );
    const earlier = findStepMessage(history.messages, idempotencyKey);
    let ts = earlier?.ts;
    if (!ts) {
      const posted = await this.call('post message', () =>
        this.slack.chat.postMessage({
          channel: channelId,
          text: slackText(text, VendorLimits.slackText),
          ...messageBlocks(text, buttons),
          metadata: { event_type: SLACK_STEP_EVENT, event_payload: { idempotency_key: idempotencyKey } },
        }),
      );
      ts = String(posted.ts);
    }
    if (pin) {
      try {
        await this.slack.pins.add({ channel: channelId, timestamp: ts });
      } catch (error) {
        if (platformError(error) !== 'already_pinned') throw this.failure('pin message', error);
      }
    }
    return { channelId, ts, created: !earlier };
  }

  /** `chat.update`: the same text and buttons again is the same message, so a retry is harmless. */
  async updateMessage({ channelId, ts, text, buttons }: UpdateMessageCommand): Promise<void> {
    await this.call('update message', () =>
      this.slack.chat.update({ channel: channelId, ts, text: slackText(text, VendorLimits.slackText), ...messageBlocks(text, buttons) }),
    );
  }

  async setTopic({ channelId, topic: wanted }: SetTopicCommand): Promise<void> {
    const topic = fitText(wanted, VendorLimits.slackTopic);
    const info = await this.call('read channel', () => this.slack.conversations.info({ channel: channelId }));
    if ((info.channel as SlackChannel | undefined)?.topic?.value === topic) return;
    await this.call('set topic', () => this.slack.conversations.setTopic({ channel: channelId, topic }));
  }

  private async findChannel(name: string): Promise<SlackChannel | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.call('list channels', () =>
        this.slack.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: false,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const found = (page.channels as SlackChannel[] | undefined)?.find((channel) => channel.name === name);
      if (found) return found;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): ApplicationFailure {
    return slackFailure(operation, error, this.secrets);
  }
}

/** The Temporal failure for a failed Slack call, with `secrets` kept out of its message. */
export function slackFailure(operation: string, error: unknown, secrets: string[]): ApplicationFailure {
  return vendorFailure(slackProblem(operation, error), secrets);
}

/** Firebreak's earlier post for `idempotencyKey` among `messages` (from `conversations.history`), if any. */
export function findStepMessage(messages: unknown[] | undefined, idempotencyKey: string): SlackMessage | undefined {
  return ((messages ?? []) as SlackMessage[]).find(
    (message) => message.metadata?.event_type === SLACK_STEP_EVENT && message.metadata.event_payload?.idempotency_key === idempotencyKey,
  );
}

/** The Slack platform error code (`name_taken`, ...), if `error` is one. */
function platformError(error: unknown): string | undefined {
  return (error as { code?: string }).code === ErrorCode.PlatformError ? (error as WebAPIPlatformError).data.error : undefined;
}

/** What went wrong, from @slack/web-api's error classes. */
function slackProblem(operation: string, error: unknown): VendorCallProblem {
  const base = { vendor: VENDOR, operation };
  switch ((error as { code?: string }).code) {
    case ErrorCode.RateLimitedError:
      return { ...base, status: 429, retryAfterMs: (error as WebAPIRateLimitedError).retryAfter * 1000 };
    case ErrorCode.HTTPError: {
      const http = error as WebAPIHTTPError;
      return { ...base, status: http.statusCode, detail: vendorMessage(http.body), retryAfterMs: parseRetryAfter(http.headers['retry-after']) };
    }
    case ErrorCode.PlatformError: {
      // Slack answers 200 with ok:false; its error code says whether retrying can help.
      const code = (error as WebAPIPlatformError).data.error;
      return { ...base, status: RETRYABLE_ERRORS.has(code) ? 503 : 400, detail: code };
    }
    case ErrorCode.RequestError:
      return { ...base, networkError: describeNetworkError((error as WebAPIRequestError).original) };
    default:
      return { ...base, networkError: describeNetworkError(error) };
  }
}

/**
 * A message with buttons as Slack blocks: the text in a section (cut to a section's 3,000
 * characters) and an actions block; without buttons, the plain `text` alone.
 */
export function messageBlocks(text: string, buttons: readonly ChatButton[] = []): { blocks?: Array<Record<string, unknown>> } {
  if (buttons.length === 0) return {};
  return {
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: slackText(text, VendorLimits.slackSection) } },
      {
        type: 'actions',
        elements: buttons.map((button) => ({
          type: 'button',
          action_id: button.action,
          text: { type: 'plain_text', text: fitText(button.label, 75), emoji: false },
          value: button.value,
          ...(button.style ? { style: button.style } : {}),
        })),
      },
    ],
  };
}
