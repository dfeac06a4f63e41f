/** Turning command-line words into API values: `k=v` pairs, runbook inputs, times. */
import { readFileSync } from 'node:fs';
import { usage } from './errors';

/** `k=v`, split at the first `=` (so a value may hold `=`); the key may not be empty. */
export function splitPair(pair: string, what: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0) throw usage(`${what} "${pair}" must be key=value`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** commander's collector for a repeatable option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Repeated `k=v` options as a string map (labels, annotations); a later key wins. */
export function stringMap(pairs: string[] | undefined, what: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const [key, value] = splitPair(pair, what);
    map[key] = value;
  }
  return map;
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A value that reads as JSON: an object, array or quoted string, a number, true, false or null. */
export function looksLikeJson(value: string): boolean {
  const text = value.trim();
  return /^[[{"]/.test(text) || JSON_NUMBER.test(text) || text === 'true' || text === 'false' || text === 'null';
}

/** What a runbook's input JSON Schema says of one property: the types it takes. */
type PropertySchema = { type?: string | string[]; enum?: unknown[]; anyOf?: PropertySchema[]; oneOf?: PropertySchema[] };

function typesOf(schema: PropertySchema | undefined): Set<string> {
  const types = new Set<string>();
  if (!schema) return types;
  for (const type of [schema.type ?? []].flat()) types.add(type);
  for (const value of schema.enum ?? []) types.add(value === null ? 'null' : typeof value);
  for (const option of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) for (const type of typesOf(option)) types.add(type);
  return types;
}

/**
 * One `--input k=v` value: kept as text where the runbook's schema takes only text (so
 * `version=1.10` stays "1.10"), else parsed as JSON where it looks like JSON (`replicas=4`,
 * `dryRun=true`, `users=["U1"]`), else text.
 */
export function inputValue(key: string, raw: string, property: PropertySchema | undefined): unknown {
  const types = typesOf(property);
  if (types.size > 0 && [...types].every((type) => type === 'string')) return raw;
  if (!looksLikeJson(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw usage(`--input ${key}: ${(error as Error).message} (quote text that is not JSON: ${key}='"…"')`);
  }
}

/**
 * A runbook's input: the object in `--input-file` (`-` reads stdin), then each `--input k=v`
 * over it, a value typed by the runbook's input schema.
 */
export function runbookInput(
  pairs: string[] | undefined,
  file: string | undefined,
  schema: { properties?: Record<string, PropertySchema> } | undefined,
): Record<string, unknown> {
  let input: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw usage(`--input-file ${file}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw usage(`--input-file ${file} is not JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usage(`--input-file ${file} must hold a JSON object`);
    input = parsed as Record<string, unknown>;
  }
  for (const pair of pairs ?? []) {
    const [key, raw] = splitPair(pair, '--input');
    const property = schema?.properties && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    input[key] = inputValue(key, raw, property);
  }
  return input;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time on the command line: ISO 8601 with a zone, `now`, or now plus or minus a duration
 * (`+8h`, `-30m`, `+2d`). The API gets it as an ISO instant.
 */
export function parseTime(text: string, option: string, now = Date.now()): string {
  if (text === 'now') return new Date(now).toISOString();
  const relative = /^([+-])(\d{1,6})([mhd])$/.exec(text);
  if (relative) {
    const [, sign, amount, unit] = relative;
    return new Date(now + (sign === '-' ? -1 : 1) * Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]).toISOString();
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw usage(`${option} "${text}": give an ISO time with a zone (2026-03-01T09:00:00Z), now, or +8h / -30m / +2d`);
  }
  return text;
}
