/**
 * Escaping engine text for each vendor's markup. Every text field a step hands an adapter is
 * plain text (alert summaries, titles, notes: anything a sender or responder wrote), so an
 * adapter escapes the whole field before it reaches markup the vendor renders; only text
 * the adapter adds itself is markup. Each escaper works one code point at a time so that
 * {@link fitEscaped} can shorten escaped text without cutting an escape in half.
 */
import { fitEscaped } from './fit';

const SLACK_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * One code point of Slack message text: `&`, `<` and `>` become entities, as Slack asks.
 * That is what turns `<!channel>`, `<@U123>` and `<http://evil|bank>` into plain text:
 * Slack only reads mentions and links inside angle brackets.
 */
export const slackEscapeChar = (point: string): string => SLACK_ENTITIES[point] ?? point;

/** Slack message text from plain `text`, escaped and fitted to `max` characters. */
export function slackText(text: string, max: number): string {
  return fitEscaped(text, max, slackEscapeChar);
}

/**
 * The characters Jira's wiki renderer reads as markup and lets a backslash escape: effects,
 * lists, tables, links and mentions (`[`, `|`, `@`), macros (`{`), images (`!`), emoticons.
 */
const JIRA_SPECIALS = new Set(['-', '#', '*', '_', '+', '?', '^', '~', '|', '%', '{', '}', '[', ']', '(', ')', '!', '@']);

/**
 * One code point of Jira wiki text: a special character gets a backslash; a backslash
 * itself, which Jira cannot escape (`\\` is a line break), becomes a full-width `＼`.
 */
export function jiraEscapeChar(point: string): string {
  if (point === '\\') return '\uff3c';
  return JIRA_SPECIALS.has(point) ? `\\${point}` : point;
}

/**
 * Jira wiki text (descriptions, comments) from plain `text`, escaped and fitted to `max`
 * characters. Block markup that starts a line with letters (`h1.` to `h6.` headings, `bq.`
 * quotes) is broken with a zero-width space, since `.` has no escape.
 */
export function jiraText(text: string, max: number): string {
  const blocksBroken = text.replace(/^([ \t]*)(h)([1-6]\.)|^([ \t]*)(b)(q\.)/gim, (_match, s1, h, rest1, s2, b, rest2) =>
    h ? `${s1}${h}\u200b${rest1}` : `${s2}${b}\u200b${rest2}`,
  );
  return fitEscaped(blocksBroken, max, jiraEscapeChar);
}
