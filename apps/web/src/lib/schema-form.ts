/**
 * A runbook's input form, generated from the input's JSON Schema (`inputSchema` in
 * GET /v1/runbooks, written by zod): one field per property, with its default, description,
 * choices and bounds. The form does not validate: the API checks the input against the
 * runbook's own schema and its messages are shown at each field (`input.<field>`).
 */
import { labelOf } from './format';

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/**
 * How a property is edited:
 * `text` a line; `textarea` long text; `number`/`integer`; `boolean` a checkbox; `choice`
 * one of an enum; `choices` several of an enum; `list` strings, one per line; `map` string
 * values by key, `key=value` per line; `json` anything else, as JSON text.
 */
export type FieldKind = 'text' | 'textarea' | 'number' | 'integer' | 'boolean' | 'choice' | 'choices' | 'list' | 'map' | 'json';

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** The values of a `choice` or `choices` field, or of a `map` field's values. */
  options?: string[];
  /** Bounds in words, e.g. `1 to 240`, `at most 200 characters`. */
  bounds?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

/** What a field holds while it is edited: text, a checkbox, or the ticked choices. */
export type FieldValue = string | boolean | string[];
export type FormValues = Record<string, FieldValue>;

/** Long strings are edited in a text area. */
const TEXTAREA_FROM_LENGTH = 500;

const typeOf = (schema: JsonSchema): string | undefined => {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  return schema.type;
};

/** The non-null member of a nullable or optional union, or the schema itself. */
function unwrap(schema: JsonSchema): JsonSchema {
  const members = schema.anyOf ?? schema.oneOf;
  if (!members) return schema;
  const rest = members.filter((member) => typeOf(member) !== 'null');
  if (rest.length !== 1) return schema;
  const outer: JsonSchema = { ...schema };
  delete outer.anyOf;
  delete outer.oneOf;
  return { ...rest[0], ...outer };
}

const stringEnum = (schema: JsonSchema | undefined): string[] | undefined => {
  if (!schema) return undefined;
  if (schema.enum?.every((value) => typeof value === 'string')) return schema.enum as string[];
  if (typeof schema.const === 'string') return [schema.const];
  return undefined;
};

/** JSON Schema's integer bounds at zod's safe-integer edge say nothing to a person. */
const meaningful = (bound: number | undefined) => (bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined);

function boundsOf(schema: JsonSchema, kind: FieldKind): Pick<FormField, 'bounds' | 'minimum' | 'maximum' | 'maxLength'> {
  if (kind === 'number' || kind === 'integer') {
    const minimum = meaningful(schema.minimum ?? schema.exclusiveMinimum);
    const maximum = meaningful(schema.maximum ?? schema.exclusiveMaximum);
    const words =
      minimum !== undefined && maximum !== undefined
        ? `${minimum} to ${maximum}`
        : minimum !== undefined
          ? `at least ${minimum}`
          : maximum !== undefined
            ? `at most ${maximum}`
            : undefined;
    return { bounds: words && (kind === 'integer' ? `a whole number, ${words}` : words), minimum, maximum };
  }
  if (kind === 'text' || kind === 'textarea') {
    const { minLength, maxLength } = schema;
    const words =
      maxLength !== undefined && (minLength ?? 0) > 1
        ? `${minLength} to ${maxLength} characters`
        : maxLength !== undefined
          ? `at most ${maxLength} characters`
          : (minLength ?? 0) > 1
            ? `at least ${minLength} characters`
            : undefined;
    return { bounds: words, maxLength };
  }
  if (kind === 'list' || kind === 'choices') {
    const { minItems, maxItems } = schema;
    if (minItems !== undefined && maxItems !== undefined) return { bounds: `${minItems} to ${maxItems} items` };
    if (maxItems !== undefined) return { bounds: `at most ${maxItems} items` };
    if (minItems !== undefined && minItems > 0) return { bounds: `at least ${minItems} items` };
  }
  return {};
}

function kindOf(schema: JsonSchema): { kind: FieldKind; options?: string[] } {
  const options = stringEnum(schema);
  if (options) return { kind: 'choice', options };
  switch (typeOf(schema)) {
    case 'string':
      return { kind: (schema.maxLength ?? 0) > TEXTAREA_FROM_LENGTH ? 'textarea' : 'text' };
    case 'integer':
      return { kind: 'integer' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array': {
      const items = schema.items ? unwrap(schema.items) : undefined;
      const itemOptions = stringEnum(items);
      if (itemOptions) return { kind: 'choices', options: itemOptions };
      if (items && typeOf(items) === 'string') return { kind: 'list' };
      return { kind: 'json' };
    }
    case 'object': {
      const values = typeof schema.additionalProperties === 'object' ? unwrap(schema.additionalProperties) : undefined;
      if (!schema.properties && values && typeOf(values) === 'string') return { kind: 'map', options: stringEnum(values) };
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

/** The fields of an object schema, in the schema's order. */
export function fieldsOf(schema: JsonSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const property = unwrap(raw);
    const { kind, options } = kindOf(property);
    return {
      name,
      label: labelOf(name),
      kind,
      // A property with a default may be left out: the runbook fills it in.
      required: required.has(name) && property.default === undefined,
      ...(property.description ? { description: property.description } : {}),
      ...(options ? { options } : {}),
      ...boundsOf(property, kind),
    };
  });
}

/** What a field shows at first: the schema's default, or empty. */
function initialValue(field: FormField, fallback: unknown): FieldValue {
  switch (field.kind) {
    case 'boolean':
      return fallback === true;
    case 'choices':
      return Array.isArray(fallback) ? fallback.map(String) : [];
    case 'list':
      return Array.isArray(fallback) ? fallback.map(String).join('\n') : '';
    case 'map':
      return fallback && typeof fallback === 'object'
        ? Object.entries(fallback as Record<string, unknown>)
            .map(([key, value]) => `${key}=${String(value)}`)
            .join('\n')
        : '';
    case 'json':
      return fallback === undefined ? '' : JSON.stringify(fallback, null, 2);
    default:
      return fallback === undefined || fallback === null ? '' : String(fallback);
  }
}

/** The form's starting values: every default of the schema filled in. */
export function initialValues(schema: JsonSchema): FormValues {
  return Object.fromEntries(
    fieldsOf(schema).map((field) => [field.name, initialValue(field, unwrap(schema.properties?.[field.name] ?? {}).default)]),
  );
}

/**
 * The runbook input the form's values say. A field left empty is left out (the runbook's
 * default applies, or the API says it is required); text that is not a number or not JSON
 * is sent as it is, so the API names the field and the rule it breaks.
 */
export function inputOf(fields: readonly FormField[], values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined) continue;
    if (field.kind === 'boolean') {
      input[field.name] = value === true;
      continue;
    }
    if (field.kind === 'choices') {
      if (Array.isArray(value)) input[field.name] = value;
      continue;
    }
    if (typeof value !== 'string') continue;
    const text = field.kind === 'textarea' ? value : value.trim();
    if (text === '') continue;
    switch (field.kind) {
      case 'number':
      case 'integer': {
        const number = Number(text);
        input[field.name] = Number.isFinite(number) ? number : text;
        break;
      }
      case 'list':
        input[field.name] = linesOf(text);
        break;
      case 'map':
        input[field.name] = Object.fromEntries(
          linesOf(text).map((line) => {
            const equals = line.indexOf('=');
            return equals < 0 ? [line, ''] : [line.slice(0, equals).trim(), line.slice(equals + 1).trim()];
          }),
        );
        break;
      case 'json':
        try {
          input[field.name] = JSON.parse(text) as unknown;
        } catch {
          input[field.name] = text;
        }
        break;
      default:
        input[field.name] = text;
    }
  }
  return input;
}

const linesOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/**
 * Where an API issue about the input belongs: the field named by its path under `input.`
 * (`input.replicas` → `replicas`, `input.labels.team` → `labels`), or `undefined` for an
 * issue about the input as a whole.
 */
export function fieldOfIssue(path: string, fields: readonly FormField[]): string | undefined {
  if (!path.startsWith('input.')) return undefined;
  const name = path.slice('input.'.length).split('.')[0];
  return fields.some((field) => field.name === name) ? name : undefined;
}
