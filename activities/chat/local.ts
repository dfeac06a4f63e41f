import type { Channel, PostedMessage } from '../../core/schemas/capabilities/chat';
import { keyDigest } from '../step-input';
import { type ChatPort, type CreateChannelCommand, type PostMessageCommand, channelSlug } from './port';

/**
 * The built-in chat: the incident's own timeline is the channel (live over its SSE stream),
 * and the calling workflow records each message there. Ids derive from the idempotency key,
 * so a repeated step gets the same channel and message.
 */
export class LocalChat implements ChatPort {
  async createChannel({ idempotencyKey, incidentId, name }: CreateChannelCommand): Promise<Channel> {
    return {
      id: `local-${keyDigest(idempotencyKey, 12)}`,
      name: channelSlug(name),
      url: `/v1/incidents/${encodeURIComponent(incidentId)}/events`,
      created: true,
    };
  }

  async invite(): Promise<void> {}

  async postMessage({ idempotencyKey, channelId }: PostMessageCommand): Promise<PostedMessage> {
    return { channelId, ts: `local-${keyDigest(idempotencyKey, 12)}`, created: true };
  }

  async updateMessage(): Promise<void> {}

  async setTopic(): Promise<void> {}
}
