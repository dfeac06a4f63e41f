/**
 * The custom capabilities: each a declaration `<file>.ts` (what runbooks import and call) and
 * its implementation `<file>.worker.ts` (what the worker runs), listed here by file. The
 * worker and the API check them all at start: a mistake stops start-up naming the file and
 * the field. How to write one: RUNBOOKS.md, "Your own steps".
 *
 * Only the worker and the API import this file: a runbook imports the declaration it uses,
 * never this list nor a `.worker.ts` file (they may do I/O; workflow code may not).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { capabilitiesByFile } from '../../core/schemas/custom-capabilities';

export const CAPABILITY_FILES = capabilitiesByFile('runbooks/capabilities', {
  'feature-flags': { declaration: () => require('./feature-flags'), implementation: () => require('./feature-flags.worker') },
});
