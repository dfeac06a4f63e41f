/**
 * The catalog tests run with: every shipped runbook plus runbooks that exercise the engine
 * (approvals, compensation, guardrails). The test workflow bundle swaps this module in for
 * `runbooks/catalog.ts`.
 */
import type { RunbookDefinition } from '../../core/runbook';
import { lazyCatalog, type RunbookFile } from '../../core/runbook-catalog';
import { RUNBOOK_FILES as SHIPPED } from '../../runbooks/catalog';
import approvalDemo from './approval-demo.runbook';
import compensationDemo from './compensation-demo.runbook';
import guardedAction from './guarded-action.runbook';
import singleFlightDemo from './single-flight-demo.runbook';

export const RUNBOOK_FILES: RunbookFile[] = [
  ...SHIPPED,
  { file: 'test/runbooks/approval-demo.runbook.ts', definition: approvalDemo as RunbookDefinition },
  { file: 'test/runbooks/compensation-demo.runbook.ts', definition: compensationDemo as RunbookDefinition },
  { file: 'test/runbooks/guarded-action.runbook.ts', definition: guardedAction as RunbookDefinition },
  { file: 'test/runbooks/single-flight-demo.runbook.ts', definition: singleFlightDemo as RunbookDefinition },
];

export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
