/**
 * The catalog tests run with: every shipped runbook plus runbooks that exercise the engine
 * (approvals, compensation, guardrails). The test workflow bundle swaps this module in for
 * `runbooks/catalog.ts`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { lazyCatalog, runbooksById } from '../../core/model/runbook-catalog';
import { RUNBOOK_FILES as SHIPPED } from '../../runbooks/catalog';

export const RUNBOOK_FILES = [
  ...SHIPPED,
  ...runbooksById('test/runbooks', {
    'approval-demo': () => require('./approval-demo.runbook'),
    'compensation-demo': () => require('./compensation-demo.runbook'),
    'flag-kill-switch': () => require('./flag-kill-switch.runbook'),
    'guarded-action': () => require('./guarded-action.runbook'),
    'single-flight-demo': () => require('./single-flight-demo.runbook'),
  }),
];

export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
