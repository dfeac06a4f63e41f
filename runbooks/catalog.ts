/**
 * Every runbook, by id. Add a runbook by writing `runbooks/<id>.runbook.ts` and adding its
 * id here; the API and the worker check the whole catalog at start (each file must export
 * the runbook of its id). Each file is loaded through `require` so that a runbook
 * execution evaluates its own runbook only.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { lazyCatalog, runbooksById } from '../core/model/runbook-catalog';

export const RUNBOOK_FILES = runbooksById('runbooks', {
  'major-incident-kickoff': () => require('./major-incident-kickoff.runbook'),
  'restart-unhealthy-deployment': () => require('./restart-unhealthy-deployment.runbook'),
  'rollback-bad-deploy': () => require('./rollback-bad-deploy.runbook'),
  'scale-out-on-high-cpu': () => require('./scale-out-on-high-cpu.runbook'),
  'service-health-check': () => require('./service-health-check.runbook'),
  'status-page-update': () => require('./status-page-update.runbook'),
});

/** The checked catalog, by id (loaded once per process). */
export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
