/**
 * Building blocks for vendor payload schemas. Vendors add fields over time, so payload
 * objects accept unknown keys; the fields Firebreak reads are required, and every message
 * names its field so a 400 says what the sender got wrong, not only where.
 */
import { z } from 'zod';
import type { AlertStatus } from '../../model/alert';

/** The message for a field that is absent or holds the wrong kind of value. */
function missingOr(field: string, expected: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined ? `${field} is required` : `${field} must be ${expected}`;
}

export function stringField(field: string) {
  return z.string({ error: missingOr(field, 'a string') });
}

export function nonEmptyField(field: string) {
  return z.string({ error: missingOr(field, 'a non-empty string') }).min(1, { error: `${field} must not be empty` });
}

export function numberField(field: string) {
  return z.number({ error: missingOr(field, 'a number') });
}

/** An RFC 3339 time with any fraction precision (Go senders emit nanoseconds) and any offset. */
export function dateTimeField(field: string) {
  return z.iso.datetime({ offset: true, error: missingOr(field, 'an RFC 3339 date-time') });
}

/** A map of label or annotation names to string values. */
export function stringMapField(field: string) {
  return z.record(z.string(), z.string({ error: `${field} values must be strings` }), {
    error: missingOr(field, 'an object of string values'),
  });
}

/** A field that must hold exactly `value`, such as a payload version. */
export function exactField<const T extends string>(field: string, value: T, meaning: string) {
  return z.literal(value, { error: missingOr(field, `"${value}", ${meaning}`) });
}

/** A field holding one of a few words. */
export function oneOfField<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, { error: missingOr(field, `one of ${values.map((value) => `"${value}"`).join(', ')}`) });
}

export function alertStatusField(field: string) {
  return oneOfField(field, ['firing', 'resolved'] as const satisfies readonly AlertStatus[]);
}

/** The non-empty `alerts` array of a webhook payload. */
export function alertListField<T extends z.ZodType>(alert: T) {
  return z
    .array(alert, { error: missingOr('alerts', 'an array') })
    .min(1, { error: 'alerts must hold at least one alert' });
}

/**
 * A free-form details value as annotation entries: an object's own entries, each a string
 * as is and anything else as JSON; any other value one entry under `name`. Entries are
 * built with own properties only, so a `__proto__` key stays a plain key.
 */
export function detailsAsText(value: unknown, name: string): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  const text = (item: unknown) => (typeof item === 'string' ? item : JSON.stringify(item) ?? String(item));
  if (typeof value !== 'object' || Array.isArray(value)) return [[name, text(value)]];
  return Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .map(([key, item]) => [key, text(item)]);
}
