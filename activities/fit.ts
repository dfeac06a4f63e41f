/**
 * Fitting engine values to what a vendor accepts. Step inputs take any realistic length
 * (up to `STEP_TEXT_MAX_BYTES` per field); each adapter shortens a value to its vendor's documented
 * limit right before the call, deterministically, so a retried or replayed step sends the
 * same value and a vendor's dedup and search-before-create keep working. Lengths are counted
 * in UTF-16 code units, as JavaScript and the vendors' "characters" count them (never fewer
 * than code points), and a cut never splits a surrogate pair.
 */
import { keyDigest } from './step-input';

/** The vendor limits adapters fit to, in characters, from each vendor's API reference. */
export const VendorLimits = {
  /** PagerDuty Events API v2: `dedup_key`. */
  pagerDutyDedupKey: 255,
  /** PagerDuty Events API v2: `payload.summary`. */
  pagerDutySummary: 1024,
  /** Slack: channel names (lower case letters, digits, `-`, `_`). */
  slackChannelName: 80,
  /** Slack: `conversations.setTopic` / channel topic. */
  slackTopic: 250,
  /** Slack: `chat.postMessage` `text` (Slack truncates longer messages). */
  slackText: 40_000,
  /** A section block's text. */
  slackSection: 3_000,
  /** Zoom: meeting `topic`. */
  zoomTopic: 200,
  /** Zoom: meeting `agenda`. */
  zoomAgenda: 2000,
  /** Microsoft Teams: a channel's `displayName`. */
  teamsChannelName: 50,
  /** Microsoft Teams: a channel's `description`. */
  teamsChannelDescription: 1024,
  /** Microsoft Teams: a whole message, in UTF-8 bytes of the bot's request (Teams refuses messages over about 28 KB). */
  teamsMessageBytes: 28_000,
  /** Microsoft Teams: an online meeting's `subject` (Graph states none; Outlook's subject limit). */
  teamsMeetingSubject: 255,
  /** Jira: issue `summary`. */
  jiraSummary: 255,
  /** Jira: a label (no whitespace). */
  jiraLabel: 255,
  /** Jira: text fields such as `description` and a comment's `body`. */
  jiraText: 32_767,
  /** GitHub: a deployment status `description`. */
  githubDeploymentDescription: 140,
} as const;

/** Hex digits of SHA-256 appended to a shortened key: 64 bits, so distinct keys practically never meet. */
const KEY_HASH_LENGTH = 16;
/** Hex digits appended to a shortened slug (channel names are short; 32 bits suffice there). */
const SLUG_HASH_LENGTH = 8;
const ELLIPSIS = '…';

const digest = (value: string, length: number) => keyDigest(value, length);

/** The first `max` code units of `text`, one fewer when the cut would split a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/**
 * `text` as it is when it fits in `max` characters; otherwise cut to `max - 1` and ended
 * with an ellipsis, so a reader sees it was shortened.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 2) return cut(text, max);
  return `${cut(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/**
 * A key (dedup key, label, marker) within `max` characters: unchanged when it fits, else a
 * readable prefix, `~`, and 16 hex digits of the SHA-256 of the whole key. The same key
 * always fits to the same value, and two long keys sharing a prefix still differ.
 */
export function fitKey(key: string, max: number): string {
  if (key.length <= max) return key;
  const hash = digest(key, KEY_HASH_LENGTH);
  if (max <= hash.length) return hash.slice(0, max);
  return `${cut(key, max - hash.length - 1)}~${hash}`;
}

/**
 * A slug (lower case letters, digits, `-` and `_`) of `name` within `max` characters, or
 * `fallback` when nothing is left. A slug that had to be cut ends with `-` and 8 hex digits
 * of its uncut form, so two long names that differ only at the end still get two slugs.
 */
export function fitSlug(name: string, max: number, fallback = 'incident'): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return fallback.slice(0, max);
  if (slug.length <= max) return slug;
  const hash = digest(slug, SLUG_HASH_LENGTH);
  if (max <= hash.length + 1) return hash.slice(0, max);
  const prefix = slug.slice(0, max - hash.length - 1).replace(/-+$/, '');
  return prefix ? `${prefix}-${hash}` : hash;
}

/** A Jira label: whitespace runs become `-` (Jira labels hold no spaces), then fitted as a key. */
export function fitLabel(label: string, max: number = VendorLimits.jiraLabel): string {
  const spaceless = label.trim().replace(/\s+/g, '-') || 'label';
  return fitKey(spaceless, max);
}

/**
 * `text` escaped code point by code point with `escape`, within `max` characters: when the
 * escaped text is too long it stops before the code point that would overflow and ends with
 * an ellipsis, so an escape sequence is never cut in half.
 */
export function fitEscaped(text: string, max: number, escape: (codePoint: string) => string): string {
  let out = '';
  let whole = true;
  for (const point of text) {
    const escaped = escape(point);
    if (out.length + escaped.length > max) {
      whole = false;
      break;
    }
    out += escaped;
  }
  if (whole) return out;
  // Make room for the ellipsis by dropping whole escaped code points from the end.
  let kept = '';
  for (const point of text) {
    const escaped = escape(point);
    if (kept.length + escaped.length > max - ELLIPSIS.length) break;
    kept += escaped;
  }
  return `${kept}${ELLIPSIS}`;
}
