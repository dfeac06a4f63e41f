/**
 * Custom capabilities as the worker and the API find them at start: the files
 * `runbooks/capabilities/index.ts` lists, each declaration checked (names, and schemas that
 * JSON can carry), and every runbook's `uses` checked against them. A mistake stops start-up
 * with a {@link CapabilityCatalogError} naming the file and the field.
 */
import { z } from 'zod';
import { CAPABILITIES, declarationOf, operationNames } from '../model/capabilities/operations';
import {
  capabilityNameProblem,
  FAILURE_TYPE,
  isCustomCapability,
  OPERATION_NAME,
  type CustomCapability,
  type CustomOperation,
} from '../model/capability';
import type { RunbookDefinition } from '../model/runbook';

export interface CapabilityFile {
  /** The declaration, from the project root: `runbooks/capabilities/feature-flags.ts`. */
  file: string;
  /** Its implementation: `runbooks/capabilities/feature-flags.worker.ts`. */
  implementationFile: string;
  /** Evaluates the declaration; what the API and the worker read. */
  declaration: () => { default?: unknown };
  /** Evaluates the implementation; the worker only. */
  implementation: () => { default?: unknown };
}

/**
 * Lists custom capabilities by file: each `<file>` is a declaration `<folder>/<file>.ts` and
 * its implementation `<folder>/<file>.worker.ts`. The loaders stay literal `require` calls, so
 * that the API evaluates declarations only, and the worker both.
 */
export function capabilitiesByFile(
  folder: string,
  loaders: Record<string, { declaration: CapabilityFile['declaration']; implementation: CapabilityFile['implementation'] }>,
): CapabilityFile[] {
  return Object.entries(loaders).map(([file, { declaration, implementation }]) => ({
    file: `${folder}/${file}.ts`,
    implementationFile: `${folder}/${file}.worker.ts`,
    declaration,
    implementation,
  }));
}

export class CapabilityCatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid custom capabilities:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CapabilityCatalogError';
  }
}

/** A checked declaration and the file it came from. */
export interface DeclaredCapability {
  file: CapabilityFile;
  capability: CustomCapability;
}

/**
 * Loads and checks every declaration `files` lists, by capability name; throws
 * {@link CapabilityCatalogError} listing every mistake.
 */
export function loadCapabilityDeclarations(files: readonly CapabilityFile[]): Map<string, DeclaredCapability> {
  const problems: string[] = [];
  const declared = new Map<string, DeclaredCapability>();
  for (const file of files) {
    const capability = checkDeclaration(file.file, file.declaration().default, problems);
    if (!capability) continue;
    const other = declared.get(capability.name);
    if (other) problems.push(`${file.file}: name: "${capability.name}" is declared by ${other.file.file} too`);
    else declared.set(capability.name, { file, capability });
  }
  if (problems.length > 0) throw new CapabilityCatalogError(problems);
  return declared;
}

/**
 * Checks that every custom capability a runbook uses is one of `declared` (so the worker
 * registers its activities); throws {@link CapabilityCatalogError} naming each runbook's field.
 */
export function checkRunbookUses(runbooks: Iterable<RunbookDefinition>, declared: ReadonlyMap<string, DeclaredCapability>, index = 'runbooks/capabilities/index.ts'): void {
  const problems: string[] = [];
  for (const runbook of runbooks) {
    (runbook.uses ?? []).forEach((used, position) => {
      if (!isCustomCapability(used)) return;
      const known = declared.get(used.name);
      if (!known) problems.push(`runbook ${runbook.id}: uses.${position}: custom capability "${used.name}" is not listed in ${index}`);
      else if (!sameOperations(known.capability, used)) {
        problems.push(`runbook ${runbook.id}: uses.${position}: "${used.name}" is not the declaration in ${known.file.file}; import that file`);
      }
    });
  }
  if (problems.length > 0) throw new CapabilityCatalogError(problems);
}

function sameOperations(a: CustomCapability, b: CustomCapability): boolean {
  const names = Object.keys(a.operations);
  return names.length === Object.keys(b.operations).length && names.every((name) => name in b.operations);
}

/** What no step's input or output may hold: JSON cannot carry it, or it would change it on the way. */
const UNREPRESENTABLE = new Map([
  ['date', 'a Date'],
  ['map', 'a Map'],
  ['set', 'a Set'],
  ['bigint', 'a bigint'],
  ['function', 'a function'],
  ['symbol', 'a symbol'],
  ['undefined', 'undefined'],
  ['void', 'void'],
  ['nan', 'NaN'],
  ['custom', 'a custom type (z.custom, z.instanceof)'],
  ['promise', 'a promise'],
  ['transform', 'a transform'],
]);
const DESCRIPTION_MAX = 500;
/** The activity input carries the idempotency key beside the runbook's input. */
const RESERVED_INPUT_FIELDS = ['idempotencyKey'];

/** Checks one declaration file's default export, adding each mistake to `problems`. */
export function checkDeclaration(file: string, exported: unknown, problems: string[]): CustomCapability | undefined {
  const say = (field: string, message: string) => problems.push(`${file}: ${field}: ${message}`);
  if (!isCustomCapability(exported)) {
    problems.push(`${file}: the default export must be defineCapability({...})`);
    return undefined;
  }
  const before = problems.length;
  const nameProblem = capabilityNameProblem(exported.name);
  if (nameProblem) say('name', nameProblem);
  const operations = exported.operations as unknown;
  if (typeof operations !== 'object' || operations === null || Object.keys(operations).length === 0) {
    say('operations', 'at least one operation');
    return undefined;
  }
  for (const [name, operation] of Object.entries(operations as Record<string, unknown>)) {
    const field = `operations.${name}`;
    if (!OPERATION_NAME.test(name)) say(field, 'an operation name is camelCase letters and digits, at most 60');
    checkOperation(field, operation, say);
  }
  return problems.length === before ? exported : undefined;
}

function checkOperation(field: string, value: unknown, say: (field: string, message: string) => void): void {
  if (typeof value !== 'object' || value === null) return say(field, 'must be defineOperation({...})');
  const operation = value as Partial<CustomOperation>;
  if (typeof operation.description !== 'string' || operation.description.trim().length === 0) say(`${field}.description`, 'required: what the operation does, in a sentence');
  else if (operation.description.length > DESCRIPTION_MAX) say(`${field}.description`, `at most ${DESCRIPTION_MAX} characters`);
  if (typeof operation.dryRun !== 'function') say(`${field}.dryRun`, 'must be a function (input, stepId) => what the step returns in a dry run');
  if (operation.long !== undefined && typeof operation.long !== 'boolean') say(`${field}.long`, 'true or false');
  if (operation.failures !== undefined) {
    if (!Array.isArray(operation.failures)) say(`${field}.failures`, 'a list of failure types');
    else {
      operation.failures.forEach((type: unknown, index) => {
        if (typeof type !== 'string' || !FAILURE_TYPE.test(type)) say(`${field}.failures.${index}`, 'a failure type is PascalCase letters and digits, at most 60');
      });
      if (new Set(operation.failures).size !== operation.failures.length) say(`${field}.failures`, 'each failure type once');
    }
  }
  const input = checkJsonSchema(`${field}.input`, operation.input, say);
  if (input && input.type !== 'object') say(`${field}.input`, 'must be a z.object({...}): the step takes named fields');
  else if (input) {
    const properties = (input.properties ?? {}) as Record<string, unknown>;
    for (const reserved of RESERVED_INPUT_FIELDS) {
      if (reserved in properties) say(`${field}.input.${reserved}`, 'is reserved: the implementation receives the idempotency key beside the input');
    }
  }
  checkJsonSchema(`${field}.output`, operation.output, say);
}

/**
 * The schema as JSON Schema, both as given and after its defaults; a schema with a part JSON
 * cannot carry (a Date, a Map, a bigint, a function, `undefined`, a transform) is refused,
 * naming where it is.
 */
function checkJsonSchema(field: string, schema: unknown, say: (field: string, message: string) => void): Record<string, unknown> | undefined {
  if (!(schema instanceof z.ZodType)) {
    say(field, 'must be a zod schema');
    return undefined;
  }
  const found = new Map<string, string>();
  let converted: Record<string, unknown> | undefined;
  for (const io of ['input', 'output'] as const) {
    const json = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      override: ({ zodSchema, path }) => {
        const type = (zodSchema as { _zod: { def: { type: string } } })._zod.def.type;
        const what = UNREPRESENTABLE.get(type);
        if (what) found.set(fieldPath(path), what);
      },
    }) as Record<string, unknown>;
    converted ??= json;
  }
  if (found.size > 0) {
    for (const [at, what] of found) say(`${field}${at}`, `${what} cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)`);
    return undefined;
  }
  try {
    z.toJSONSchema(schema, { io: 'output' });
  } catch (error) {
    say(field, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  return converted;
}

/** A JSON Schema path as the fields it goes through: `["properties","a","items"]` → `.a[]`. */
function fieldPath(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (let i = 0; i < path.length; i += 1) {
    const part = path[i];
    if (part === 'properties' && i + 1 < path.length) text += `.${path[++i]}`;
    else if (part === 'items' || part === 'additionalProperties') text += '[]';
    else if (part === 'prefixItems' && i + 1 < path.length) text += `[${path[++i]}]`;
    else if ((part === 'anyOf' || part === 'oneOf' || part === 'allOf') && i + 1 < path.length) i += 1;
  }
  return text;
}

/** One operation a runbook may call, as GET /v1/runbooks lists it. */
export interface ListedOperation {
  /** `<capability>.<operation>`, as its steps are named. */
  step: string;
  custom: boolean;
  long: boolean;
  /** Failure types of its own a runbook may branch on. */
  failures: string[];
  /** Custom operations: what it does, what it takes and what it returns. */
  description?: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
}

/**
 * The operations `runbook` may call: those of the capabilities it `uses` (every built-in one
 * when it names none), and `paging.page` when a budget may make it page a human instead.
 */
export function runbookOperations(runbook: RunbookDefinition): ListedOperation[] {
  const uses = runbook.uses ?? CAPABILITIES;
  const listed: ListedOperation[] = [];
  for (const used of uses) {
    if (typeof used === 'string') {
      for (const name of operationNames(used)) {
        const { long, failures } = declarationOf(used, name);
        listed.push({ step: `${used}.${name}`, custom: false, long: long === true, failures: [...(failures ?? [])] });
      }
    } else {
      for (const [name, operation] of Object.entries(used.operations)) {
        listed.push({
          step: `${used.name}.${name}`,
          custom: true,
          long: operation.long === true,
          failures: [...(operation.failures ?? [])],
          description: operation.description,
          inputSchema: z.toJSONSchema(operation.input, { io: 'input' }),
          outputSchema: z.toJSONSchema(operation.output, { io: 'output' }),
        });
      }
    }
  }
  if (runbook.guardrails?.budget && !listed.some(({ step }) => step === 'paging.page')) {
    listed.push({ step: 'paging.page', custom: false, long: false, failures: [] });
  }
  return listed;
}
