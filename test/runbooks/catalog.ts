/**
 * The catalog tests run with: every shipped runbook plus runbooks that exercise the engine
 * (approvals, compensation, guardrails). The test workflow bundle swaps this module in for
 * `runbooks/catalog.ts`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { lazyCatalog, type RunbookFile } from '../../core/runbook-catalog';
import { RUNBOOK_FILES as SHIPPED } from '../../runbooks/catalog';

export const RUNBOOK_FILES: RunbookFile[] = [
  ...SHIPPED,
  { file: 'test/runbooks/approval-demo.runbook.ts', load: () => require('./approval-demo.runbook') },
  { file: 'test/runbooks/compensation-demo.runbook.ts', load: () => require('./compensation-demo.runbook') },
  { file: 'test/runbooks/guarded-action.runbook.ts', load: () => require('./guarded-action.runbook') },
  { file: 'test/runbooks/single-flight-demo.runbook.ts', load: () => require('./single-flight-demo.runbook') },
];

export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
