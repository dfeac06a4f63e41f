/**
 * PostgreSQL stores neither NUL nor lone surrogates (text refuses the one, jsonb both): they
 * become U+FFFD, as Firebreak's other text rules replace what cannot be shown.
 */
// eslint-disable-next-line no-control-regex -- NUL is what this replaces
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanString(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

/** `value` with every string (keys too) made storable; other values unchanged. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [cleanString(key), cleanJson(inner)]));
  }
  return value;
}
