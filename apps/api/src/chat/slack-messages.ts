/**
 * The messages Firebreak answers Slack with: as the answer to a request, or posted to its
 * `response_url`. Text is plain and escaped (`&`, `<`, `>`), so nothing a person or a runbook
 * input wrote can mention a channel or hide a link; it is fitted to Slack's limits.
 */
import { messageBlocks } from '../../../../activities/chat/slack';
import { fitText, VendorLimits } from '../../../../activities/fit';
import { slackText } from '../../../../activities/markup';
import type { ChatButton } from '../../../../core/schemas/capabilities/chat';

/** A message for a `response_url` (or the answer to a slash command). */
export interface SlackResponse {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks?: Array<Record<string, unknown>>;
  /** Replace the message the button was on (the plan, once run) instead of adding one. */
  replace_original?: boolean;
}

/** Only the person who asked sees it. */
export function ephemeral(text: string, options: { replaceOriginal?: boolean } = {}): SlackResponse {
  return { response_type: 'ephemeral', text: slackText(text, VendorLimits.slackSection), replace_original: options.replaceOriginal ?? false };
}

/** The whole channel sees it. */
export function inChannel(text: string): SlackResponse {
  return { response_type: 'in_channel', text: slackText(text, VendorLimits.slackSection), replace_original: false };
}

/** An ephemeral message with buttons under its text, in the blocks the chat adapter posts them in. */
export function ephemeralWithButtons(text: string, buttons: readonly ChatButton[]): SlackResponse {
  return { ...ephemeral(text), ...messageBlocks(text, buttons) };
}

/** How much of a step's arguments a plan line shows. */
const PLAN_ARGS_CHARS = 160;
/** Plan lines shown; a longer plan says how many more there are. */
const PLAN_LINES = 25;

/** A dry run's plan, one numbered line per step. */
export function planText(plan: ReadonlyArray<{ action: string; args: unknown }>): string {
  const lines = plan.slice(0, PLAN_LINES).map(({ action, args }, index) => `${index + 1}. ${action} ${fitText(JSON.stringify(args ?? {}), PLAN_ARGS_CHARS)}`);
  if (plan.length > PLAN_LINES) lines.push(`… and ${plan.length - PLAN_LINES} more steps`);
  return lines.length > 0 ? lines.join('\n') : '(no steps)';
}
