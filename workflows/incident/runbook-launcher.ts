import { condition, ParentClosePolicy, startChild, uuid4 } from '@temporalio/workflow';
import { IncidentStatus } from '../../core/model/incident-model';
import { type PendingLaunch, queueDecision, startsNow, trimRunbookList } from '../../core/model/incident/runbooks';
import type { runbookWorkflow } from '../runbook';
import { compat } from '../compat';
import { failureMessage, type IncidentRun } from './incident-run';

/** Queues a runbook start decided by the API, within the pending bounds. */
export function queueLaunch(run: IncidentRun, launch: PendingLaunch): void {
  const decision = queueDecision(run.incident, run.launches, launch);
  if (decision === 'skip') return;
  if (decision === 'full' && compat.boundedRunbookLaunches(run.paths)) {
    run.launchesDropped += 1;
    return;
  }
  run.launches.push(launch);
}

/** Starts each decided runbook once per incident (unless its trigger says every alert), until the incident closes. */
export async function runbookLauncher(run: IncidentRun): Promise<void> {
  const { incident, launches } = run;
  for (;;) {
    await condition(() => launches.length > 0 || incident.status === IncidentStatus.Closed);
    if (launches.length === 0) return;
    const launch = launches.shift()!;
    if (launch.refused) {
      run.record({ kind: 'runbook', actor: 'firebreak', summary: `Runbook ${launch.runbookId} not started: ${launch.refused}` });
      continue;
    }
    if (!startsNow(incident, launch) || !compat.incidentStartsRunbooks(run.paths)) continue;
    const executionId = `rbx-${uuid4().replace(/-/g, '').slice(0, 12)}`;
    incident.runbooks.push({ runbookId: launch.runbookId, executionId, startedAt: new Date().toISOString(), trigger: launch.trigger });
    trimRunbookList(incident.runbooks);
    run.record({ kind: 'runbook', actor: 'firebreak', summary: `Started runbook ${launch.runbookId} (${executionId}, ${launch.trigger})` });
    try {
      await run.step(() =>
        startChild<typeof runbookWorkflow>('runbookWorkflow', {
          workflowId: executionId,
          args: [
            {
              runbookId: launch.runbookId,
              input: launch.input,
              incidentId: incident.id,
              launchedBy: launch.trigger,
              trigger: launch.trigger,
              ...(launch.triggeredBy ? { triggeredBy: launch.triggeredBy } : {}),
            },
          ],
          // Runs outlive this run of the incident (continue-as-new) and report by signal.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        }),
      );
    } catch (error) {
      run.record({ kind: 'runbook', actor: 'firebreak', summary: `Runbook ${launch.runbookId} did not start: ${failureMessage(error)}` });
    }
  }
}
