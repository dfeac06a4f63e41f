/**
 * The one way workflow code loads a module on first use instead of importing it at the top.
 *
 * Workflow modules, and everything they import at run time, are evaluated once per worker
 * thread and then shared, frozen, by all of its workflows (SHARED_WORKFLOW_MODULES in
 * apps/worker/src/workflow-bundle.ts). zod schemas memoise into themselves, so a module that
 * builds them (`core/schemas/`, a runbook) cannot be shared: the workflow that needs it loads
 * it here, and gets its own copy. Nothing is cached here: `require` keeps what a workflow
 * loaded, and a cache in this shared module would be common to every workflow.
 * See docs/decisions/2026-12-07-workflow-imports.md.
 *
 * Pass a literal `require` so the bundler sees the file:
 * `loadLazily<typeof Module>(() => require('../core/schemas/module'))`.
 */
export function loadLazily<M>(load: () => unknown): M {
  return load() as M;
}
