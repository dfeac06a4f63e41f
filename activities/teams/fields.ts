/**
 * Engine values as Microsoft Teams accepts them: channel names within Teams' naming rule,
 * and messages as Adaptive Cards whose text is plain (never read as markdown) and whose whole
 * message stays under Teams' size limit, counted in UTF-8 bytes of the request.
 */
import { fitText, VendorLimits } from '../fit';
import { keyDigest } from '../step-input';

/**
 * Characters Teams refuses in a channel name: `~ # % & * { } + / \ : < > ? | ' " ,`
 * (and `..`, a leading `_` or `.`, a trailing `.`, handled below); control and format
 * characters go too, since nobody could read them.
 */
const NAME_FORBIDDEN = /[~#%&*{}+/\\:<>?|'",\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** Hex digits of the key's digest that end every channel name. */
const NAME_SUFFIX_LENGTH = 6;

/**
 * The display name of the channel for `name` and `idempotencyKey`: the requested name with
 * what Teams refuses replaced by spaces, cut (with an ellipsis) to leave room for a space and
 * 6 hex digits of the key's digest, so a repeated step finds its channel by name and two
 * incidents with one name still get two channels. At most 50 characters.
 */
export function teamsChannelName(name: string, idempotencyKey: string, max: number = VendorLimits.teamsChannelName): string {
  const suffix = keyDigest(idempotencyKey, NAME_SUFFIX_LENGTH);
  const readable = name
    .normalize('NFC')
    .replace(NAME_FORBIDDEN, ' ')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .replace(/^[\s._]+/, '')
    .replace(/[\s.]+$/, '');
  const base = fitText(readable || 'incident', max - suffix.length - 1).replace(/[\s.]+$/, '');
  return `${base || 'incident'} ${suffix}`;
}

/** A string literal for an OData `$filter`: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** At most this many paragraphs per card; the rest of the text joins the last one. */
const MAX_PARAGRAPHS = 40;
/** Room left under Teams' limit for the rest of the connector's request (channel, tenant, activity). */
const SIZE_MARGIN_BYTES = 1_000;

/** An Adaptive Card of plain text. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Array<{ type: 'RichTextBlock'; id?: string; inlines: Array<{ type: 'TextRun'; text: string }> }>;
}

/** A card as a message's attachment. */
export interface TeamsCard {
  contentType: typeof ADAPTIVE_CARD;
  content: AdaptiveCard;
}

/**
 * The marker of Firebreak's post for `idempotencyKey`: `firebreak-` and 32 hex digits of its
 * digest, the id of the card's first block (invisible, and kept by Teams, so Graph shows it).
 */
export const stepMarker = (idempotencyKey: string) => `firebreak-${keyDigest(idempotencyKey, 32)}`;

/**
 * `text` as an Adaptive Card marked with `marker`, one RichTextBlock per paragraph, each a
 * single TextRun: text runs are never read as markdown, so nothing in the text becomes a
 * link, a mention or formatting. Text that would take the card past Teams' size limit is cut,
 * with an ellipsis, at a code point.
 */
export function teamsCard(text: string, marker: string): TeamsCard {
  const paragraphs = splitParagraphs(text);
  const overhead = byteSize(buildCard(paragraphs.map(() => ''), marker));
  const budget = VendorLimits.teamsMessageBytes - SIZE_MARGIN_BYTES - overhead;
  const fitted = fitBytes(paragraphs.join('\n'), budget);
  return buildCard(fitted.split('\n'), marker);
}

/** The marker of a card as Graph shows it (the attachment's `content`, a JSON string), if any. */
export function cardMarker(content: unknown): string | undefined {
  let card: unknown = content;
  if (typeof content === 'string') {
    try {
      card = JSON.parse(content);
    } catch {
      return undefined;
    }
  }
  const id = (card as { body?: Array<{ id?: unknown }> } | null)?.body?.[0]?.id;
  return typeof id === 'string' && id.startsWith('firebreak-') ? id : undefined;
}

function splitParagraphs(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length <= MAX_PARAGRAPHS) return lines;
  return [...lines.slice(0, MAX_PARAGRAPHS - 1), lines.slice(MAX_PARAGRAPHS - 1).join(' ')];
}

function buildCard(paragraphs: string[], marker: string): TeamsCard {
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.4',
      body: paragraphs.map((paragraph, index) => ({
        type: 'RichTextBlock',
        ...(index === 0 ? { id: marker } : {}),
        // An empty run would be dropped; a blank line stays a blank line.
        inlines: [{ type: 'TextRun', text: paragraph === '' ? ' ' : paragraph }],
      })),
    },
  };
}

const byteSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** What one code point of card text adds to the request, as JSON. */
const pointCost = (point: string) => Buffer.byteLength(JSON.stringify(point), 'utf8') - 2;

/** `text` whole when it costs at most `budget` bytes in the request, else cut at a code point and ended with an ellipsis. */
export function fitBytes(text: string, budget: number): string {
  let used = 0;
  let whole = true;
  for (const point of text) {
    used += pointCost(point);
    if (used > budget) {
      whole = false;
      break;
    }
  }
  if (whole) return text;
  const room = budget - pointCost('…');
  let kept = '';
  used = 0;
  for (const point of text) {
    const cost = pointCost(point);
    if (used + cost > room) break;
    used += cost;
    kept += point;
  }
  return `${kept}…`;
}
