import type { z } from 'zod';
import {
  type Channel,
  CreateChannelInputSchema,
  InviteToChannelInputSchema,
  type PostedMessage,
  PostMessageInputSchema,
  SetTopicInputSchema,
} from '../../core/capabilities/chat';
import { stepActivity } from '../step-input';

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
    chatCreateChannel: stepActivity('chatCreateChannel', CreateChannelInputSchema, (c) => port.createChannel(c)),
    chatInvite: stepActivity('chatInvite', InviteToChannelInputSchema, (c) => port.invite(c)),
    chatPostMessage: stepActivity('chatPostMessage', PostMessageInputSchema, (c) => port.postMessage(c)),
    chatSetTopic: stepActivity('chatSetTopic', SetTopicInputSchema, (c) => port.setTopic(c)),
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
