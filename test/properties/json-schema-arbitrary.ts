/**
 * fast-check arbitraries of values valid against a JSON Schema (the subset zod's
 * `z.toJSONSchema` writes for runbook inputs), biased to the largest values the schema
 * allows: strings at or just under `maxLength`, arrays at `maxItems`, numbers at their
 * bounds, every optional property given. Text mixes what breaks careless code: multibyte
 * characters (CJK, emoji, which are two UTF-16 units), chat and wiki markup, HTML, and the
 * names every object inherits.
 *
 * Lengths are counted in code points, as JSON Schema specifies and zod checks `min`/`max`
 * (an emoji is one, though two UTF-16 units; a joined emoji sequence is several). A keyword this
 * module does not know makes it throw rather than produce values the schema may refuse.
 */
import fc from 'fast-check';
import { utf8Bytes } from '../../core/model/text';

/** The part of JSON Schema this module reads. */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  enum?: readonly unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  minProperties?: number;
  maxProperties?: number;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  [keyword: string]: unknown;
}

/** Keywords that only describe: they constrain no value. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  ...['type', 'enum', 'const', 'default', 'minLength', 'maxLength', 'pattern', 'format'],
  ...['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  ...['items', 'minItems', 'maxItems', 'uniqueItems'],
  ...['properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties'],
  ...['anyOf', 'oneOf'],
]);

export interface MaxSizeOptions {
  /**
   * The longest string, in code points, where the schema sets no `maxLength`: a large but
   * realistic value, since the schema's own answer is "unbounded".
   * @default 4096
   */
  unboundedLength?: number;
  /** A UTF-8 byte bound every generated string keeps (for byte limits JSON Schema cannot state). */
  maxBytes?: number;
  /** Items of an array without `maxItems`. @default 20 */
  unboundedItems?: number;
  /** Entries of an open object (a record) without `maxProperties`. @default 20 */
  unboundedProperties?: number;
  /**
   * Arbitraries that replace the generated one at a property path (`components`,
   * `responders.items`, `components.keys`): for values the schema accepts but a deployment
   * constrains further, such as names that must exist on a vendor's side.
   */
  overrides?: Record<string, fc.Arbitrary<unknown>>;
}

/** Text units that stress length, byte and escaping logic; each is whole (no split surrogate pairs). */
export const TEXT_UNITS = [
  'a', 'Z', '0', ' ', '-', 'é', 'ß', '中', '文', '字', '😀', '🔥', '👩‍💻',
  '<!channel>', '<!here>', '@everyone', '*_{[|', '~`>#', '&amp;', '<script>', '"\'\\', '{{x}}', 'javascript:',
  'constructor', '__proto__', 'toString', '\n',
] as const;
/** Text units of one code point each, to land exactly on a length. */
const ONE_UNIT = ['a', 'Z', '0', 'é', '中', '-'] as const;

/** The length JSON Schema's `minLength`/`maxLength` (and zod's) measure: code points. */
export const codePoints = (text: string): number => Array.from(text).length;

/** A string of exactly `length` code points built from `units`, topped up from `fills`. */
function textOfLength(length: number, units: readonly string[], fills: readonly string[]): string {
  let text = '';
  let count = 0;
  for (let index = 0; count < length; index += 1) {
    const unit = units[index % units.length];
    const size = codePoints(unit);
    const next = count + size <= length ? unit : fills[index % fills.length];
    text += next;
    count += codePoints(next);
  }
  return text;
}

/** Cuts `text` to `maxBytes` UTF-8 bytes at a code point boundary. */
function cutToBytes(text: string, maxBytes: number): string {
  let cut = '';
  let bytes = 0;
  for (const character of text) {
    bytes += utf8Bytes(character);
    if (bytes > maxBytes) break;
    cut += character;
  }
  return cut;
}

function stringArbitrary(schema: JsonSchema, options: ResolvedOptions): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, options.unboundedLength);
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
  const fits = (text: string) =>
    codePoints(text) >= min &&
    codePoints(text) <= max &&
    (options.maxBytes === undefined || utf8Bytes(text) <= options.maxBytes) &&
    (pattern === undefined || pattern.test(text));
  if (schema.format !== undefined) return formatArbitrary(schema.format).filter(fits);
  // Pattern-shaped values are as long as the pattern makes them: the pattern is what they test.
  if (pattern !== undefined) return fc.stringMatching(pattern).filter(fits);
  const length = fc.oneof(
    { weight: 6, arbitrary: fc.constant(max) },
    { weight: 2, arbitrary: fc.integer({ min: Math.max(min, max - 3), max }) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constant(min) },
  );
  const units = fc.shuffledSubarray([...TEXT_UNITS], { minLength: 1 });
  return fc
    .tuple(length, units, fc.shuffledSubarray([...ONE_UNIT], { minLength: 1 }))
    .map(([target, chosen, fills]) => {
      const text = textOfLength(target, chosen, fills);
      return options.maxBytes === undefined ? text : cutToBytes(text, options.maxBytes);
    })
    .filter(fits);
}

function formatArbitrary(format: string): fc.Arbitrary<string> {
  switch (format) {
    case 'email':
      return fc.emailAddress();
    case 'uri':
    case 'url':
      return fc.webUrl({ withQueryParameters: true, withFragments: true });
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    default:
      throw new Error(`json-schema-arbitrary: format "${format}" is not supported`);
  }
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  if (schema.multipleOf !== undefined && !(integer && schema.multipleOf === 1)) {
    throw new Error('json-schema-arbitrary: multipleOf is not supported');
  }
  const lowest = integer ? Number.MIN_SAFE_INTEGER : -1e15;
  const highest = integer ? Number.MAX_SAFE_INTEGER : 1e15;
  let min = Math.max(schema.minimum ?? lowest, lowest);
  let max = Math.min(schema.maximum ?? highest, highest);
  if (schema.exclusiveMinimum !== undefined) min = Math.max(min, integer ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + Number.EPSILON);
  if (schema.exclusiveMaximum !== undefined) max = Math.min(max, integer ? Math.ceil(schema.exclusiveMaximum) - 1 : schema.exclusiveMaximum - Number.EPSILON);
  if (integer) {
    min = Math.ceil(min);
    max = Math.floor(max);
  }
  if (min > max) throw new Error(`json-schema-arbitrary: no number between ${min} and ${max}`);
  const any = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 5, arbitrary: fc.constant(max) }, { weight: 2, arbitrary: fc.constant(min) }, { weight: 3, arbitrary: any });
}

function arrayArbitrary(schema: JsonSchema, path: string, options: ResolvedOptions): fc.Arbitrary<unknown[]> {
  const min = schema.minItems ?? 0;
  const max = schema.maxItems ?? Math.max(min, options.unboundedItems);
  const item = at(schema.items ?? {}, `${path}.items`, options);
  const sized = (length: number) =>
    schema.uniqueItems
      ? fc.uniqueArray(item, { minLength: length, maxLength: length, comparator: (a, b) => JSON.stringify(a) === JSON.stringify(b) })
      : fc.array(item, { minLength: length, maxLength: length });
  return fc.oneof({ weight: 6, arbitrary: fc.constant(max) }, { weight: 1, arbitrary: fc.integer({ min, max }) }).chain(sized);
}

function objectArbitrary(schema: JsonSchema, path: string, options: ResolvedOptions): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const named = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const value = at(property, path ? `${path}.${name}` : name, options);
    if (required.has(name) && property.default === undefined) return fc.tuple(fc.constant(name), value.map((v) => ({ given: true, v })));
    // An optional property: mostly given (the largest input), sometimes its default or omitted.
    const choices = [
      { weight: 6, arbitrary: value.map((v) => ({ given: true, v })) },
      { weight: 1, arbitrary: fc.constant({ given: false, v: undefined as unknown }) },
      ...(property.default !== undefined ? [{ weight: 1, arbitrary: fc.constant({ given: true, v: structuredClone(property.default) }) }] : []),
    ];
    return fc.tuple(fc.constant(name), fc.oneof(...choices));
  });
  const fixed = fc.tuple(...named).map((pairs) => Object.fromEntries(pairs.filter(([, { given }]) => given).map(([name, { v }]) => [name, v])));
  const extra = schema.additionalProperties;
  // Extra names are generated only where the schema describes them (a record); elsewhere none.
  if (typeof extra !== 'object' && schema.propertyNames === undefined) {
    if (schema.minProperties !== undefined || schema.maxProperties !== undefined) {
      throw new Error('json-schema-arbitrary: minProperties/maxProperties on a closed object are not supported');
    }
    return fixed;
  }
  // An open object (a record): names from `propertyNames`, values from `additionalProperties`.
  const nameSchema = schema.propertyNames ?? { type: 'string' as const };
  const names = at(nameSchema, `${path}.keys`, options) as fc.Arbitrary<string>;
  const values = at(typeof extra === 'object' ? extra : {}, `${path}.values`, options);
  const fixedNames = new Set(Object.keys(schema.properties ?? {}));
  const min = schema.minProperties ?? 0;
  const max = schema.maxProperties ?? Math.max(min, options.unboundedProperties);
  const entries = fc
    .oneof({ weight: 6, arbitrary: fc.constant(max) }, { weight: 1, arbitrary: fc.integer({ min, max }) })
    .chain((count) =>
      fc.uniqueArray(fc.tuple(names.filter((name) => !fixedNames.has(name)), values), {
        minLength: count,
        maxLength: count,
        selector: ([name]) => name,
      }),
    );
  return fc.tuple(fixed, entries).map(([given, pairs]) => {
    // Own properties, even for names such as `__proto__`.
    const record: Record<string, unknown> = { ...given };
    for (const [name, value] of pairs) Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
    return record;
  });
}

type ResolvedOptions = Required<Omit<MaxSizeOptions, 'overrides' | 'maxBytes'>> & MaxSizeOptions;

function at(schema: JsonSchema, path: string, options: ResolvedOptions): fc.Arbitrary<unknown> {
  const override = options.overrides?.[path];
  if (override) return override;
  const unknown = Object.keys(schema).filter((keyword) => !KNOWN.has(keyword));
  if (unknown.length > 0) throw new Error(`json-schema-arbitrary: ${path || 'the root'} uses unsupported keywords ${unknown.join(', ')}`);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    // For oneOf, that no second branch also matches is left to the caller's filter.
    return fc.oneof(...branches.map((branch, index) => at(branch, `${path}.${schema.anyOf ? 'anyOf' : 'oneOf'}[${index}]`, options)));
  }
  switch (schema.type) {
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(schema, path, options);
    case 'object':
      return objectArbitrary(schema, path, options);
    case undefined:
      // `{}` accepts anything: a short string stands for it.
      return stringArbitrary({ type: 'string', maxLength: 64 }, options);
    default:
      throw new Error(`json-schema-arbitrary: type ${String(schema.type)} is not supported`);
  }
}

/**
 * Values valid against `schema`, biased to its maximum sizes. Rules JSON Schema cannot
 * state (zod refinements across fields, byte limits) are the caller's: filter with the
 * source schema's own check, or pass `maxBytes`.
 */
export function maxSizeArbitrary(schema: JsonSchema, options: MaxSizeOptions = {}): fc.Arbitrary<unknown> {
  return at(schema, '', { unboundedLength: 4096, unboundedItems: 20, unboundedProperties: 20, ...options });
}
