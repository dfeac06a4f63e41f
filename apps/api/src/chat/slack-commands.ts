/**
 * The words of the slash commands, read into what they ask for. Pure: checking the values
 * against the schemas, and doing it, is the actions' work.
 */
import { SEVERITIES, type Severity } from '../../../../core/model/incident-model';

/** Severity of an incident declared without one. */
export const DEFAULT_DECLARED_SEVERITY: Severity = 'SEV3';

export const INCIDENT_USAGE = [
  '`/incident declare <title> [SEV1..SEV4]`: declare an incident',
  '`/incident ack`, `/incident resolve`, `/incident note <text>`: in an incident channel, for its incident',
  '`/incident status`: this channel\'s incident, or the open incidents',
].join('\n');

export const RUNBOOK_USAGE = '`/runbook run <id> key=value …`: shows the plan of a dry run and a Run button (quote values with spaces: `title="Search is down"`)';

export type IncidentRequest =
  | { verb: 'declare'; title: string; severity: Severity }
  | { verb: 'ack' }
  | { verb: 'resolve' }
  | { verb: 'note'; text: string }
  | { verb: 'status' };

export type RunbookRequest = { verb: 'run'; runbookId: string; pairs: Array<[string, string]> };

/** What could not be read, in words for the person who typed it. */
export interface Unreadable {
  problem: string;
}

/** `/incident …`. */
export function readIncidentCommand(text: string): IncidentRequest | Unreadable {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const remainder = trimmed.slice(word.length).trim();
  switch (word.toLowerCase()) {
    case 'declare': {
      const last = rest.at(-1)?.toUpperCase();
      const severity = SEVERITIES.find((level) => level === last);
      const title = severity ? remainder.slice(0, remainder.length - severity.length).trim() : remainder;
      if (!title) return { problem: 'say what is wrong: `/incident declare <title> [SEV1..SEV4]`' };
      return { verb: 'declare', title, severity: severity ?? DEFAULT_DECLARED_SEVERITY };
    }
    case 'ack':
    case 'acknowledge':
      return { verb: 'ack' };
    case 'resolve':
      return { verb: 'resolve' };
    case 'note':
      if (!remainder) return { problem: 'write the note: `/incident note <text>`' };
      return { verb: 'note', text: remainder };
    case 'status':
      return { verb: 'status' };
    default:
      return { problem: word ? `no such command "${word.slice(0, 40)}"` : 'say what to do' };
  }
}

/** `/runbook run <id> key=value …`; a value may be quoted ("…", or the curly quotes Slack clients type). */
export function readRunbookCommand(text: string): RunbookRequest | Unreadable {
  const words = splitWords(text);
  if ('problem' in words) return words;
  const [verb = '', runbookId, ...rest] = words.words;
  if (verb.toLowerCase() !== 'run') return { problem: verb ? `no such command "${verb.slice(0, 40)}"` : 'say what to do' };
  if (!runbookId) return { problem: 'name the runbook: `/runbook run <id> key=value …`' };
  const pairs: Array<[string, string]> = [];
  for (const word of rest) {
    const equals = word.indexOf('=');
    const key = equals > 0 ? word.slice(0, equals) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)) return { problem: `"${word.slice(0, 40)}" is not key=value` };
    if (pairs.some(([seen]) => seen === key)) return { problem: `${key} is given twice` };
    pairs.push([key, word.slice(equals + 1)]);
  }
  return { verb: 'run', runbookId, pairs };
}

const QUOTES: Record<string, string> = { '"': '"', '\u201c': '\u201d' };

/** Words split at blanks; a quoted stretch is one word without its quotes. */
function splitWords(text: string): { words: string[] } | Unreadable {
  const words: string[] = [];
  let word: string | undefined;
  let closing: string | undefined;
  for (const char of text) {
    if (closing !== undefined) {
      if (char === closing || (closing === '\u201d' && char === '"')) closing = undefined;
      else word += char;
    } else if (QUOTES[char] !== undefined) {
      closing = QUOTES[char];
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (closing !== undefined) return { problem: 'a quote is not closed' };
  if (word !== undefined) words.push(word);
  return { words };
}

/** A JSON Schema as `z.toJSONSchema` writes an input's properties, as far as values are read by it. */
export interface PropertySchema {
  type?: string | string[];
  anyOf?: PropertySchema[];
  items?: PropertySchema;
}

/** A runbook input's JSON Schema: its properties. */
export interface InputJsonSchema {
  properties?: Record<string, PropertySchema>;
}

const typesOf = (schema: PropertySchema | undefined): Set<string> => {
  const types = new Set<string>();
  if (!schema) return types;
  for (const type of [schema.type ?? []].flat()) types.add(type);
  for (const member of schema.anyOf ?? []) for (const type of typesOf(member)) types.add(type);
  return types;
};

/**
 * A runbook's input from `key=value` words, each value read as its property's type says
 * (`waitMinutes=0` a number, `responders=U1,U2` a list, `components={"API":"major_outage"}`
 * JSON). What the type cannot take is passed on as written, for the schema to refuse by name.
 */
export function inputFromPairs(pairs: ReadonlyArray<[string, string]>, inputSchema: InputJsonSchema): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, raw] of pairs) input[key] = readValue(raw, inputSchema.properties?.[key]);
  return input;
}

function readValue(raw: string, schema: PropertySchema | undefined): unknown {
  const types = typesOf(schema);
  if (types.has('string') || types.size === 0) return types.size === 0 ? readJson(raw) ?? raw : raw;
  if ((types.has('number') || types.has('integer')) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.has('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if (types.has('array')) {
    if (raw.startsWith('[')) return readJson(raw) ?? raw;
    return raw === '' ? [] : raw.split(',').map((item) => readValue(item.trim(), schema?.items));
  }
  if (types.has('object')) return readJson(raw) ?? raw;
  return raw;
}

function readJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
