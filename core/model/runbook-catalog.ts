import { CAPABILITIES } from './capabilities/operations';
import { capabilityNameProblem, isCustomCapability } from './capability';
import type { RunbookDefinition } from './runbook';

export interface RunbookFile {
  /** Path from the project root, e.g. `runbooks/rollback-bad-deploy.runbook.ts`. */
  file: string;
  /**
   * Evaluates the file: `() => require('./<id>.runbook')`. A runbook execution loads only
   * the runbook it runs, so a catalog's size costs nothing per execution.
   */
  load: () => { default?: unknown };
}

/**
 * Registers runbooks by id: each id's file is `<folder>/<id>.runbook.ts`, and loading checks
 * that the runbook it exports has that id. The loaders stay literal `require` calls so that
 * the workflow bundle can see each file, and an execution evaluates its own runbook only.
 */
export function runbooksById(folder: string, loaders: Record<string, RunbookFile['load']>): RunbookFile[] {
  return Object.entries(loaders).map(([id, load]) => ({ file: `${folder}/${id}.runbook.ts`, load }));
}

export class RunbookCatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid runbooks:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RunbookCatalogError';
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Checks every runbook definition, naming the file and field of each mistake, and returns
 * them by id. The API and the worker call this at start.
 */
export function loadRunbookCatalog(files: RunbookFile[]): Map<string, RunbookDefinition> {
  const problems: string[] = [];
  const catalog = new Map<string, RunbookDefinition>();
  for (const { file, load } of files) {
    const runbook = checkRunbook(file, load().default, problems);
    if (!runbook) continue;
    if (catalog.has(runbook.id)) problems.push(`${file}: id: "${runbook.id}" is used by another runbook`);
    else catalog.set(runbook.id, runbook);
  }
  if (problems.length) throw new RunbookCatalogError(problems);
  return catalog;
}

/**
 * The runbook with this id, evaluating its file alone (the file is named after the id), or
 * undefined when the catalog lists no such file. For a runbook execution: the worker has
 * checked the whole catalog at start.
 */
export function loadRunbook(files: RunbookFile[], id: string): RunbookDefinition | undefined {
  const entry = files.find(({ file }) => file.endsWith(`/${id}.runbook.ts`));
  if (!entry) return undefined;
  const problems: string[] = [];
  const runbook = checkRunbook(entry.file, entry.load().default, problems);
  if (problems.length) throw new RunbookCatalogError(problems);
  return runbook;
}

/** Checks one runbook file's default export, adding each mistake to `problems`. */
function checkRunbook(file: string, exported: unknown, problems: string[]): RunbookDefinition | undefined {
  const say = (field: string, message: string) => problems.push(`${file}: ${field}: ${message}`);
  if (!exported || typeof exported !== 'object') {
    problems.push(`${file}: the default export must be defineRunbook({...})`);
    return undefined;
  }
  const runbook = exported as RunbookDefinition;
  const before = problems.length;
  if (typeof runbook.id !== 'string' || !ID.test(runbook.id)) say('id', 'lowercase letters, digits and dashes');
  else if (!file.endsWith(`/${runbook.id}.runbook.ts`)) say('id', `"${runbook.id}" must match the file name (${runbook.id}.runbook.ts)`);
  if (typeof runbook.title !== 'string' || runbook.title.length === 0) say('title', 'required');
  if (typeof runbook.description !== 'string' || runbook.description.length === 0) say('description', 'required');
  if (runbook.version !== undefined && (!Number.isInteger(runbook.version) || runbook.version < 1)) say('version', 'a whole number from 1');
  if (!runbook.input || typeof (runbook.input as { safeParse?: unknown }).safeParse !== 'function') say('input', 'must be a zod schema');
  if (typeof runbook.run !== 'function') say('run', 'must be a function (ctx, input) => Promise');
  if (runbook.fromAlert !== undefined && typeof runbook.fromAlert !== 'function') say('fromAlert', 'must be a function (alert) => input');
  runbook.triggers?.forEach((trigger, index) => {
    if (!trigger.match || Object.keys(trigger.match).length === 0) say(`triggers.${index}.match`, 'a trigger matches at least one label');
    if (!runbook.fromAlert) say(`triggers.${index}`, 'a runbook with triggers needs fromAlert to build its input');
  });
  checkUses(runbook.uses, say);
  const guardrails = runbook.guardrails;
  if (guardrails) {
    if (typeof guardrails.target !== 'function') say('guardrails.target', 'must be a function (input) => string');
    const budget = guardrails.budget;
    if (budget && (!Number.isInteger(budget.max) || budget.max < 0)) say('guardrails.budget.max', 'a whole number from 0');
    if (budget && (!Number.isInteger(budget.windowMinutes) || budget.windowMinutes < 1)) say('guardrails.budget.windowMinutes', 'a whole number from 1');
  }
  return problems.length === before ? runbook : undefined;
}

/**
 * `uses`: built-in capabilities by name and custom ones by declaration, each once. Whether a
 * custom one is registered with the worker is checked at start by checkRunbookUses
 * (core/schemas/custom-capabilities.ts).
 */
function checkUses(uses: unknown, say: (field: string, message: string) => void): void {
  if (uses === undefined) return;
  if (!Array.isArray(uses)) return say('uses', 'a list of capabilities: built-in ones by name, custom ones by their declaration');
  const seen = new Set<string>();
  uses.forEach((used: unknown, index) => {
    const name = typeof used === 'string' ? used : isCustomCapability(used) ? used.name : undefined;
    if (typeof used === 'string' && !(CAPABILITIES as readonly string[]).includes(used)) {
      return say(`uses.${index}`, `"${used}" is no built-in capability (${CAPABILITIES.join(', ')}); a custom one is listed by its declaration, not its name`);
    }
    if (name === undefined) return say(`uses.${index}`, 'a built-in capability\'s name, or the default export of a file in runbooks/capabilities/ (defineCapability)');
    if (seen.has(name)) return say(`uses.${index}`, `"${name}" is listed twice`);
    seen.add(name);
    const problem = typeof used === 'string' ? undefined : capabilityNameProblem(name);
    if (problem) say(`uses.${index}.name`, problem);
  });
}

/** A catalog loaded (and checked) on first use, then kept: one per process. */
export function lazyCatalog(files: RunbookFile[]): () => Map<string, RunbookDefinition> {
  let catalog: Map<string, RunbookDefinition> | undefined;
  return () => (catalog ??= loadRunbookCatalog(files));
}
