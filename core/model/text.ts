/**
 * Text rules shared by every input path: sizes measured in UTF-8 bytes (what Temporal and
 * vendors count, not UTF-16 code units), deterministic shortening, and the characters that
 * may not appear in identifiers and titles. Pure and zod-free, so workflows may use it.
 */

/** Lone surrogates: they have no UTF-8 encoding, so vendors and byte counts disagree on them. */
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';

/**
 * Characters never allowed in an identifier or a one-line title: C0 controls (NUL, tab,
 * newline included), DEL, C1 controls, bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), the line and paragraph
 * separators and the byte-order mark, and lone surrogates. They hide or reorder what a
 * reader sees (a title that reads one way and sorts or matches another).
 */
const NOT_IN_LINE = `[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]|${LONE_SURROGATE}`;

/** In free text (notes, descriptions, annotation values) tab, newline and carriage return are fine; the rest of {@link NOT_IN_LINE}'s controls and the overrides are not. */
const NOT_IN_TEXT = `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]|${LONE_SURROGATE}`;

const NOT_IN_LINE_TEST = new RegExp(NOT_IN_LINE);
const NOT_IN_TEXT_TEST = new RegExp(NOT_IN_TEXT);

/** What {@link hasLineForbidden} refuses, in words, for error messages. */
export const LINE_RULE = 'no control, bidirectional-override or line-separator characters';
/** What {@link hasTextForbidden} refuses, in words, for error messages. */
export const TEXT_RULE = 'no control or bidirectional-override characters other than tab and newline';

/** True when `text` holds a character an identifier or a one-line title may not. */
export function hasLineForbidden(text: string): boolean {
  return NOT_IN_LINE_TEST.test(text);
}

/** True when `text` holds a character free text may not. */
export function hasTextForbidden(text: string): boolean {
  return NOT_IN_TEXT_TEST.test(text);
}

/** The replacement character: shows a reader that something unprintable was there. */
const REPLACEMENT = '\uFFFD';

/**
 * `text` as one clean line: runs of tabs and newlines become a space, other forbidden
 * characters U+FFFD. For text a sender cannot fully control (vendor label values) that
 * becomes a title or an identifier: refusing it would refuse the page.
 */
export function cleanLine(text: string): string {
  if (!hasLineForbidden(text)) return text;
  return text.replace(/[\t\n\r]+/g, ' ').replace(new RegExp(NOT_IN_LINE, 'g'), REPLACEMENT);
}

/** `text` with the characters free text may not hold replaced by U+FFFD (tabs and newlines kept). */
export function cleanText(text: string): string {
  if (!hasTextForbidden(text)) return text;
  return text.replace(new RegExp(NOT_IN_TEXT, 'g'), REPLACEMENT);
}

/** The size of `text` in UTF-8 bytes (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 2 code units, 4 bytes.
      bytes += 2;
      i += 1;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/** The size of `value` as JSON, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : utf8Bytes(json);
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not split a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 4 || utf8Bytes(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && end + 1 < text.length && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += pair ? 2 : 1;
  }
  return text.slice(0, end);
}

const ELLIPSIS = '…';

/** `text` cut to at most `maxBytes` UTF-8 bytes, ending in an ellipsis when it was cut. */
export function truncateText(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  return utf8Prefix(text, maxBytes - utf8Bytes(ELLIPSIS)) + ELLIPSIS;
}

/**
 * A 64-bit FNV-1a hash of `text`'s UTF-16 code units as 16 hex digits: stable across
 * processes and versions, for shortening keys deterministically (not for secrets).
 */
export function shortHash(text: string): string {
  // Two 32-bit FNV-1a lanes with different offsets stand in for one 64-bit hash.
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * A key cut to at most `maxBytes` as a readable prefix plus `~` and a {@link shortHash} of the
 * whole: the same long key always gives the same short one, and two long keys that share
 * a prefix stay apart.
 */
export function shortenKey(key: string, maxBytes: number): string {
  if (utf8Bytes(key) <= maxBytes) return key;
  const hash = shortHash(key);
  return `${utf8Prefix(key, maxBytes - hash.length - 1)}~${hash}`;
}

/** Ids kept as they are up to this length; longer ones are held as `#` + a {@link shortHash}. */
const COMPACT_ID_CHARS = 40;

/**
 * An id as a bounded set holds it: short ids as they are, long ones hashed. Applying it
 * twice gives the same result, so sets carried from older runs can be compacted again.
 */
export function compactId(id: string): string {
  return id.length <= COMPACT_ID_CHARS ? id : `#${shortHash(id)}`;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` safe to put in HTML, as element content or inside a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]);
}
