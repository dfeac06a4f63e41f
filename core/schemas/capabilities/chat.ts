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
  /** Vendor user ids (Slack member ids; Teams: Entra ID object ids or user principal names) or, on the local adapter, names. */
  users: z.array(z.string().min(1)).min(1),
});
export type InviteToChannelInput = z.input<typeof InviteToChannelInputSchema>;

/**
 * A button under a message: pressing it sends Firebreak an interaction naming `action` and
 * carrying `value` (Slack's interactivity; the local chat shows them on the timeline only).
 */
export const ChatButtonSchema = z
  .object({
    action: z.enum(['incident.acknowledge', 'incident.resolve', 'execution.approve', 'execution.reject', 'runbook.run']),
    label: z.string().min(1).max(75),
    /** Slack takes at most 2,000 characters. */
    value: z.string().min(1).max(2000),
    style: z.enum(['primary', 'danger']).optional(),
  })
  .strict();
export type ChatButton = z.infer<typeof ChatButtonSchema>;

export const PostMessageInputSchema = StepInputBase.extend({
  channelId: z.string().min(1),
  /** Plain text: adapters escape it for the vendor's markup and cut it to the vendor's length. */
  text: stepText(1),
  pin: z.boolean().default(false),
  buttons: z.array(ChatButtonSchema).max(5).default([]),
});
export type PostMessageInput = z.input<typeof PostMessageInputSchema>;

export const PostedMessageSchema = z.object({ channelId: z.string(), ts: z.string(), created: z.boolean() });
export type PostedMessage = z.infer<typeof PostedMessageSchema>;

/** Replaces a message's text and buttons (the incident's header, as it changes). */
export const UpdateMessageInputSchema = StepInputBase.extend({
  channelId: z.string().min(1),
  ts: z.string().min(1),
  text: stepText(1),
  buttons: z.array(ChatButtonSchema).max(5).default([]),
});
export type UpdateMessageInput = z.input<typeof UpdateMessageInputSchema>;

export const SetTopicInputSchema = StepInputBase.extend({ channelId: z.string().min(1), topic: stepText() });
export type SetTopicInput = z.input<typeof SetTopicInputSchema>;
