/**
 * What Slack posts to the two request URLs, as far as Firebreak reads it: a slash command's
 * form fields, and an interaction's `payload` (JSON in a form field). Slack sends more
 * fields; the rest are dropped. Ids are checked by shape, so they are safe in a visibility
 * query and in derived workflow ids.
 */
import { z } from 'zod';
import { SLACK_USER_ID } from '../../../../core/schemas/chat-users';

/** A Slack conversation id: a channel (`C…`), a private channel (`G…`) or a direct message (`D…`). */
export const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{2,30}$/;

const userId = z.string().regex(SLACK_USER_ID, 'a Slack user id');
const channelId = z.string().regex(SLACK_CHANNEL_ID, 'a Slack conversation id');
const triggerId = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, "Slack's trigger id");
const responseUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** A slash command (`application/x-www-form-urlencoded`). */
export const SlashCommandSchema = z.object({
  command: z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'a slash command such as /incident'),
  text: z.string().max(4000).default(''),
  user_id: userId,
  channel_id: channelId,
  response_url: responseUrl,
  trigger_id: triggerId,
});
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/** A press of a button on one of Firebreak's messages (`type: block_actions`). */
export const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: userId }),
  trigger_id: triggerId,
  response_url: responseUrl,
  channel: z.object({ id: channelId }).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().min(1).max(255),
        value: z.string().max(2000).optional(),
        action_ts: z.string().max(64).optional(),
      }),
    )
    .min(1)
    .max(25),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

/** What a **Run** button under a plan carries: the runbook, its input, and the incident it runs for. */
export const RunButtonValueSchema = z
  .object({
    runbook: z.string().min(1).max(200),
    input: z.unknown(),
    incident: z.string().max(100).optional(),
  })
  .strict();
export type RunButtonValue = z.infer<typeof RunButtonValueSchema>;
