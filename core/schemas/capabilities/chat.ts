import { z } from 'zod';
import { StepInputBase, stepText } from './common';

export const CreateChannelInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  /** Readable base name, e.g. "inc-checkout-latency"; adapters slugify it and fit it to the vendor's length. */
  name: stepText(1),
  /** Plain text, cut with an ellipsis to the vendor's topic length. */
  topic: stepText().optional(),
});
export type CreateChannelInput = z.input<typeof CreateChannelInputSchema>;

export const ChannelSchema = z.object({ id: z.string(), name: z.string(), url: z.string().optional(), created: z.boolean() });
export type Channel = z.infer<typeof ChannelSchema>;

export const InviteToChannelInputSchema = StepInputBase.extend({
  channelId: z.string().min(1),
  /** Vendor user ids (Slack member ids) or, on the local adapter, names. */
  users: z.array(z.string().min(1)).min(1),
});
export type InviteToChannelInput = z.input<typeof InviteToChannelInputSchema>;

export const PostMessageInputSchema = StepInputBase.extend({
  channelId: z.string().min(1),
  /** Plain text: adapters escape it for the vendor's markup and cut it to the vendor's length. */
  text: stepText(1),
  pin: z.boolean().default(false),
});
export type PostMessageInput = z.input<typeof PostMessageInputSchema>;

export const PostedMessageSchema = z.object({ channelId: z.string(), ts: z.string(), created: z.boolean() });
export type PostedMessage = z.infer<typeof PostedMessageSchema>;

export const SetTopicInputSchema = StepInputBase.extend({ channelId: z.string().min(1), topic: stepText() });
export type SetTopicInput = z.input<typeof SetTopicInputSchema>;
