/**
 * Every runbook, by file. Add a runbook by writing `runbooks/<id>.runbook.ts` and listing
 * it here; the API and the worker check the whole catalog at start. Each file is loaded
 * through `require` so that a runbook execution evaluates its own runbook only.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { lazyCatalog, type RunbookFile } from '../core/runbook-catalog';

export const RUNBOOK_FILES: RunbookFile[] = [
  { file: 'runbooks/major-incident-kickoff.runbook.ts', load: () => require('./major-incident-kickoff.runbook') },
  { file: 'runbooks/rollback-bad-deploy.runbook.ts', load: () => require('./rollback-bad-deploy.runbook') },
  { file: 'runbooks/scale-out-on-high-cpu.runbook.ts', load: () => require('./scale-out-on-high-cpu.runbook') },
  { file: 'runbooks/service-health-check.runbook.ts', load: () => require('./service-health-check.runbook') },
  { file: 'runbooks/status-page-update.runbook.ts', load: () => require('./status-page-update.runbook') },
];

/** The checked catalog, by id (loaded once per process). */
export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
