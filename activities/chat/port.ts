import type { z } from 'zod';
import {
  type Channel,
  type CreateChannelInput,
  CreateChannelInputSchema,
  type InviteToChannelInput,
  InviteToChannelInputSchema,
  type PostedMessage,
  type PostMessageInput,
  PostMessageInputSchema,
  type SetTopicInput,
  SetTopicInputSchema,
} from '../../core/capabilities/chat';
import { parseStepInput } from '../step-input';

export type CreateChannelCommand = z.output<typeof CreateChannelInputSchema>;
export type InviteToChannelCommand = z.output<typeof InviteToChannelInputSchema>;
export type PostMessageCommand = z.output<typeof PostMessageInputSchema>;
export type SetTopicCommand = z.output<typeof SetTopicInputSchema>;

/** Incident chat. Every operation acts once per idempotency key. */
export interface ChatPort {
  createChannel(command: CreateChannelCommand): Promise<Channel>;
  /** Invites those not yet in the channel. */
  invite(command: InviteToChannelCommand): Promise<void>;
  postMessage(command: PostMessageCommand): Promise<PostedMessage>;
  setTopic(command: SetTopicCommand): Promise<void>;
}

export function createChatActivities(port: ChatPort) {
  return {
    async chatCreateChannel(input: CreateChannelInput): Promise<Channel> {
      return port.createChannel(parseStepInput(CreateChannelInputSchema, input, 'chatCreateChannel'));
    },
    async chatInvite(input: InviteToChannelInput): Promise<void> {
      await port.invite(parseStepInput(InviteToChannelInputSchema, input, 'chatInvite'));
    },
    async chatPostMessage(input: PostMessageInput): Promise<PostedMessage> {
      return port.postMessage(parseStepInput(PostMessageInputSchema, input, 'chatPostMessage'));
    },
    async chatSetTopic(input: SetTopicInput): Promise<void> {
      await port.setTopic(parseStepInput(SetTopicInputSchema, input, 'chatSetTopic'));
    },
  };
}

/** A channel name as Slack accepts it: lower case, digits, `-` and `_`, at most `max` characters. */
export function channelSlug(name: string, max = 80): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'incident';
}
