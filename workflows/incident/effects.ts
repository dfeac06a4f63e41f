import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import type { Effect } from '../../core/model/incident/effects';
import { PAGE_SEVERITY } from '../../core/model/incident/escalation';
import { pagingPage } from './activities';
import { failureMessage, type IncidentRun } from './incident-run';

/** Carries out effects that need no waiting: timeline entries, pager notices, escalate-now. */
export function carryOutNow(run: IncidentRun, effects: Effect[]): void {
  run.recordOr(effects, (effect) => {
    if (effect.kind === 'notify-pager') notifyPager(run, effect.action);
    else if (effect.kind === 'escalate-now') run.escalateRequests += 1;
    else throw new Error(`effect ${effect.kind} must be awaited`);
  });
}

/** Tells the pager in the background; the outcome goes on the timeline. */
function notifyPager(run: IncidentRun, action: 'acknowledge' | 'resolve'): void {
  const { incident } = run;
  void run
    .step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `page-${action}-${incident.continuedAsNew}-${(incident.timelineStart ?? 0) + incident.timeline.length}`),
        incidentId: incident.id,
        action,
        dedupKey: incident.dedupKey ?? incident.id,
        summary: incident.title,
        severity: PAGE_SEVERITY[incident.severity],
      }),
    )
    .then(
      () => run.record({ kind: 'notification', actor: 'firebreak', summary: `Pager told: ${action}` }),
      (error) => run.record({ kind: 'notification', actor: 'firebreak', summary: `Pager not told (${action}): ${failureMessage(error)}` }),
    );
}

