import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import type { Effect } from '../../core/model/incident/effects';
import { PAGE_SEVERITY } from '../../core/model/incident/escalation';
import { pagingPage, statusPageUpdateIncident } from './activities';
import { FINAL_STATUS_MESSAGE } from '../../core/model/incident/status-page';
import { compat } from '../compat';
import { failureMessage, type IncidentRun } from './incident-run';

/** Carries out effects that need no waiting: timeline entries, pager notices, escalate-now. */
export function carryOutNow(run: IncidentRun, effects: Effect[]): void {
  run.recordOr(effects, (effect) => {
    if (effect.kind === 'notify-pager') notifyPager(run, effect.action);
    else if (effect.kind === 'resolve-status-page') resolveStatusPage(run);
    else if (effect.kind === 'escalate-now') run.escalateRequests += 1;
    else throw new Error(`effect ${effect.kind} must be awaited`);
  });
}

/**
 * Tells the pager in the background; the outcome goes on the timeline. Each level paged
 * through the pager hears of it (PagerDuty keeps an alert per level); runs from before
 * levels were remembered tell the incident's one page.
 */
function notifyPager(run: IncidentRun, action: 'acknowledge' | 'resolve'): void {
  const paged = run.incident.escalation.paged ?? [];
  const perLevel = paged.length > 0 && compat.pagerPerLevel(run.paths);
  run.pagerNotices = { count: run.pagerNotices.count + 1, last: action };
  for (const page of perLevel ? paged : [{}]) tellPager(run, action, page);
}

/**
 * A level's page was still on its way when the pager was told to acknowledge or resolve
 * (`noticesBefore` is {@link IncidentRun.pagerNotices}' count as the page set out): the
 * notice missed it, so the level hears the last one now, or its alert would ring on.
 */
export function tellLatePage(run: IncidentRun, noticesBefore: number, level: number, targets: string[]): void {
  const { count, last } = run.pagerNotices;
  if (count === noticesBefore || last === undefined || !compat.pagerTellsLatePages(run.paths)) return;
  tellPager(run, last, { level, targets });
}

/** Tells one page (`level` absent: the incident's one page) of `action`, in the background. */
function tellPager(run: IncidentRun, action: 'acknowledge' | 'resolve', { level, targets }: { level?: number; targets?: string[] }): void {
  const { incident } = run;
  const entry = (incident.timelineStart ?? 0) + incident.timeline.length;
  const suffix = level === undefined ? '' : `-l${level}`;
  void run
    .step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `page-${action}-${incident.continuedAsNew}-${entry}${suffix}`),
        incidentId: incident.id,
        action,
        dedupKey: incident.dedupKey ?? incident.id,
        summary: incident.title,
        severity: PAGE_SEVERITY[incident.severity],
        ...(level === undefined ? {} : { level, targets }),
      }),
    )
    .then(
      () => run.record({ kind: 'notification', actor: 'firebreak', summary: `Pager told: ${action}${level === undefined ? '' : ` (level ${level})`}` }),
      (error) => run.record({ kind: 'notification', actor: 'firebreak', summary: `Pager not told (${action}${level === undefined ? '' : `, level ${level}`}): ${failureMessage(error)}` }),
    );
}

/**
 * Resolves the incident's status-page incident in the background, once: it is marked
 * resolved before the call, so a second resolve (after a reopen) sends nothing. Runs from
 * before the incident followed its status page leave it as it is.
 */
function resolveStatusPage(run: IncidentRun): void {
  const { incident } = run;
  const page = incident.statusPage;
  if (!page || !compat.incidentResolvesStatusPage(run.paths)) return;
  page.status = 'resolved';
  const entry = (incident.timelineStart ?? 0) + incident.timeline.length;
  void run
    .step(() =>
      statusPageUpdateIncident({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `status-page-resolve-${incident.continuedAsNew}-${entry}`),
        statusIncidentId: page.statusIncidentId,
        status: 'resolved',
        message: FINAL_STATUS_MESSAGE,
      }),
    )
    .then(
      () => run.record({ kind: 'status-update', actor: 'firebreak', summary: `Status page (resolved): ${FINAL_STATUS_MESSAGE}`, details: { statusIncidentId: page.statusIncidentId } }),
      (error) => run.record({ kind: 'status-update', actor: 'firebreak', summary: `Status page not resolved: ${failureMessage(error)}` }),
    );
}
