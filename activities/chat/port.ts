import type { z } from 'zod';
import {
  type Channel,
  CreateChannelInputSchema,
  InviteToChannelInputSchema,
  type PostedMessage,
  PostMessageInputSchema,
  SetTopicInputSchema,
} from '../../core/capabilities/chat';
import { fitSlug, VendorLimits } from '../fit';
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

/**
 * A channel name as Slack accepts it: lower case, digits, `-` and `_`, at most `max`
 * characters; a name cut to fit keeps a hash of the rest (see {@link fitSlug}).
 */
export function channelSlug(name: string, max: number = VendorLimits.slackChannelName): string {
  return fitSlug(name, max, 'incident');
}
