/**
 * Every runbook, by file. Add a runbook by writing `runbooks/<id>.runbook.ts` and listing
 * it here; the API and the worker check the whole catalog at start.
 */
import type { RunbookDefinition } from '../core/runbook';
import { lazyCatalog, type RunbookFile } from '../core/runbook-catalog';
import majorIncidentKickoff from './major-incident-kickoff.runbook';
import rollbackBadDeploy from './rollback-bad-deploy.runbook';
import scaleOutOnHighCpu from './scale-out-on-high-cpu.runbook';
import serviceHealthCheck from './service-health-check.runbook';
import statusPageUpdate from './status-page-update.runbook';

export const RUNBOOK_FILES: RunbookFile[] = [
  { file: 'runbooks/major-incident-kickoff.runbook.ts', definition: majorIncidentKickoff as RunbookDefinition },
  { file: 'runbooks/rollback-bad-deploy.runbook.ts', definition: rollbackBadDeploy as RunbookDefinition },
  { file: 'runbooks/scale-out-on-high-cpu.runbook.ts', definition: scaleOutOnHighCpu as RunbookDefinition },
  { file: 'runbooks/service-health-check.runbook.ts', definition: serviceHealthCheck as RunbookDefinition },
  { file: 'runbooks/status-page-update.runbook.ts', definition: statusPageUpdate as RunbookDefinition },
];

/** The checked catalog, by id (loaded once per process or workflow isolate). */
export const runbookCatalog = lazyCatalog(RUNBOOK_FILES);
