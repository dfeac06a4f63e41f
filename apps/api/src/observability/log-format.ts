/**
 * The one place every log line passes through before it is written, in the API and in the
 * worker: it first replaces secrets with `[redacted]`, then cuts long fields. In that order,
 * so a cut never leaves part of a secret behind (a secret across the cut is redacted whole
 * before the cut is made).
 */

export const REDACTED = '[redacted]';

/** Configured secrets shorter than this are not searched for (they would redact ordinary words and numbers). */
export const MIN_SECRET_LENGTH = 6;

/** The longest string field written, in UTF-16 code units; longer ones are cut. */
export const DEFAULT_MAX_FIELD_LENGTH = 4_096;

/** Items kept of an array, and levels of nesting, in a log line. */
const MAX_ARRAY_ITEMS = 100;
const MAX_DEPTH = 12;

/** Keys whose values are credentials whatever they hold (headers and common field names). */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-csrf-token|x-api-key|x-auth-token|password|passwd|secret|client[-_]?secret|token|access[-_]?token|refresh[-_]?token|id[-_]?token|api[-_]?key|private[-_]?key)$/i;

/** `Authorization: …`, `"cookie":"…"`, `x-csrf-token=…` written in text: the value, to the end of the line or quote. */
const SECRET_HEADER_TEXT = /\b(authorization|proxy-authorization|cookie|set-cookie|x-csrf-token|x-api-key|x-auth-token)(["']?\s*[:=]\s*["']?)[^"'\r\n]*/gi;
/** An HTTP auth scheme and its credentials in text. */
const AUTH_SCHEME_TEXT = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{4,}/g;
/** Query parameters that carry credentials: `?token=…`, `&api_key=…`, `&X-Amz-Signature=…`, `&code=…`. */
const SECRET_QUERY_PARAM = /([?&;][\w.-]*?(?:token|secret|signature|password|passwd|api[-_]?key|key|sig|code|session)=)[^&#\s"'<>]*/gi;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface LogFormatOptions {
  /** Secret values to redact wherever they appear (those shorter than {@link MIN_SECRET_LENGTH} are skipped). */
  secrets?: Iterable<string>;
  /** @default DEFAULT_MAX_FIELD_LENGTH */
  maxFieldLength?: number;
}

export interface LogFormatter {
  /** `text` with every secret and credential-looking part replaced by `[redacted]`. */
  redact(text: string): string;
  /** A log record with every string redacted, then cut to the field limit. */
  format(record: unknown): unknown;
  /** A JSON log line (as pino writes it), formatted; ends with a newline. */
  formatLine(line: string): string;
}

export function createLogFormatter({ secrets = [], maxFieldLength = DEFAULT_MAX_FIELD_LENGTH }: LogFormatOptions = {}): LogFormatter {
  // Longest first: where two secrets start at the same place, the longer one is taken whole.
  const values = [...new Set(secrets)].filter((secret) => secret.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const secretPattern = values.length > 0 ? new RegExp(values.map(escapeRegExp).join('|'), 'g') : undefined;

  const redact = (text: string): string => {
    let out = secretPattern ? text.replace(secretPattern, REDACTED) : text;
    out = out.replace(SECRET_HEADER_TEXT, `$1$2${REDACTED}`);
    out = out.replace(AUTH_SCHEME_TEXT, `$1 ${REDACTED}`);
    return out.replace(SECRET_QUERY_PARAM, `$1${REDACTED}`);
  };

  const field = (text: string): string => cut(redact(text), maxFieldLength);

  const format = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return field(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ARRAY_ITEMS).map((item) => format(item, depth + 1));
      if (value.length > MAX_ARRAY_ITEMS) items.push(`[${value.length - MAX_ARRAY_ITEMS} more]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[field(key)] = SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : format(item, depth + 1);
    }
    return out;
  };

  const formatLine = (line: string): string => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return `${JSON.stringify({ msg: field(line.trimEnd()) })}\n`;
    }
    return `${JSON.stringify(format(record))}\n`;
  };

  return { redact, format: (record) => format(record), formatLine };
}

/** `text` cut to `max` code units (never inside a surrogate pair), saying how much was cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…[${text.length - end} more characters]`;
}
