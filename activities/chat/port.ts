import type { CapabilityPort, OperationCommand } from '../../core/schemas/capabilities/operation-schemas';
import { fitSlug, VendorLimits } from '../fit';
import { capabilityActivities } from '../step-input';

export type CreateChannelCommand = OperationCommand<'chat', 'createChannel'>;
export type InviteToChannelCommand = OperationCommand<'chat', 'invite'>;
export type PostMessageCommand = OperationCommand<'chat', 'postMessage'>;
export type SetTopicCommand = OperationCommand<'chat', 'setTopic'>;
export type UpdateMessageCommand = OperationCommand<'chat', 'updateMessage'>;

/** Incident chat, one method per operation declared under `chat`. Every operation acts once per idempotency key. */
export type ChatPort = CapabilityPort<'chat'>;

export const createChatActivities = (port: ChatPort) => capabilityActivities('chat', port);

/**
 * A channel name as Slack accepts it: lower case, digits, `-` and `_`, at most `max`
 * characters; a name cut to fit keeps a hash of the rest (see {@link fitSlug}).
 */
export function channelSlug(name: string, max: number = VendorLimits.slackChannelName): string {
  return fitSlug(name, max, 'incident');
}
