import { condition } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import { beginPage, fallbackTargets, type LevelPage, levelTimedOut, PAGE_SEVERITY, rememberPagedLevel } from '../../core/model/incident/escalation';
import { IncidentStatus } from '../../core/model/incident-model';
import { oncallResolve, pagingPage } from './activities';
import { choosePeople, enqueue, planNotifications } from '../../core/model/oncall/notify-plan';
import type { ResolvedLevel } from '../../core/model/oncall/types';
import { compat } from '../compat';
import { carryOutNow, tellLatePage } from './effects';
import { failureMessage, type IncidentRun } from './incident-run';

/** Pages the ladder level by level until it is acknowledged, exhausted, or the incident closes. */
export async function escalationLoop(run: IncidentRun): Promise<void> {
  const { incident, progress } = run;
  for (;;) {
    await condition(() => progress.state === 'paging' || incident.status === IncidentStatus.Closed);
    if (incident.status === IncidentStatus.Closed) return;
    if (progress.pagePending) {
      run.paging = true;
      try {
        await pageCurrentLevel(run);
      } finally {
        run.paging = false;
      }
      continue;
    }
    const requests = run.escalateRequests;
    const remaining = Math.max(0, Date.parse(progress.nextAt ?? new Date().toISOString()) - Date.now());
    await condition(() => progress.state !== 'paging' || run.escalateRequests !== requests, remaining);
    if (progress.state !== 'paging') continue;
    carryOutNow(run, levelTimedOut(incident));
  }
}

async function pageCurrentLevel(run: IncidentRun): Promise<void> {
  const page = beginPage(run.incident, Date.now());
  if (!compat.oncallNotifications(run.paths)) {
    await pageTargets(run, page, page.level.targets);
    return;
  }
  const { incident, progress } = run;
  const { level, where, policy } = page;
  let resolved: ResolvedLevel;
  try {
    resolved = await run.step(() => oncallResolve({ incidentId: incident.id, targets: level.targets, at: new Date().toISOString(), notify: level.notify }));
  } catch (error) {
    await pageThroughFallback(run, page, `who is on call could not be read: ${failureMessage(error)}`);
    return;
  }
  for (const target of resolved.empty) {
    run.record({ kind: 'notification', actor: 'firebreak', summary: `Nobody is on call for ${target} (${where}, policy ${policy.name})` });
  }
  if (resolved.pagers.length > 0) await pageTargets(run, page, resolved.pagers);
  const people = choosePeople(resolved.people, level.notify, incident.id, progress.round + 1);
  if (people.length > 0) {
    const planned = planNotifications(people, { level: progress.level + 1, round: progress.round + 1, pageAtMs: Date.now() });
    const left = enqueue(progress, planned);
    run.record({
      kind: 'notification',
      actor: 'firebreak',
      summary: `Notifying ${people.map((person) => `${person.name} (${person.via})`).join(', ')} (${where}, policy ${policy.name})${left ? `; ${left} later notifications left out: too many pending` : ''}`,
      details: { level: progress.level + 1, round: progress.round + 1, people: people.map((person) => person.responder) },
    });
  } else if (resolved.pagers.length === 0) {
    run.record({ kind: 'notification', actor: 'firebreak', summary: `${where} reached nobody: escalating at once` });
    carryOutNow(run, levelTimedOut(incident));
  }
}

/** Pages `targets` through the paging capability (falling back to the built-in pager when it refuses). */
async function pageTargets(run: IncidentRun, page: LevelPage, targets: string[]): Promise<void> {
  const { incident, progress } = run;
  const { policy, where } = page;
  const noticesBefore = run.pagerNotices.count;
  try {
    const result = await run.step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `page-r${progress.round}-l${progress.level}-${progress.pages}`),
        incidentId: incident.id,
        action: 'trigger',
        dedupKey: incident.dedupKey ?? incident.id,
        summary: `[${incident.severity}] ${incident.title}`,
        severity: PAGE_SEVERITY[incident.severity],
        targets,
        level: progress.level + 1,
      }),
    );
    rememberPagedLevel(progress, progress.level + 1, targets);
    run.record({
      kind: 'notification',
      actor: 'firebreak',
      summary: `Paged ${targets.join(', ')} (${where}, policy ${policy.name})`,
      details: { level: progress.level + 1, round: progress.round + 1, targets, provider: result.provider },
    });
    tellLatePage(run, noticesBefore, progress.level + 1, targets);
  } catch (error) {
    if (!compat.pagingFallback(run.paths)) {
      run.record({ kind: 'notification', actor: 'firebreak', summary: `Paging ${where} failed: ${failureMessage(error)}` });
      return;
    }
    await pageThroughFallback(run, page, failureMessage(error));
  }
}

/**
 * A level's page failed for good (the provider refused it, or was still failing after the
 * step's retries): an alarm on the timeline, then the page again through the built-in
 * local pager, which is always there, to the policy's `fallback` targets (else the level's
 * own). Keyed by the incident id, which every pager accepts whatever the dedup key.
 */
async function pageThroughFallback(run: IncidentRun, page: LevelPage, reason: string): Promise<void> {
  const { incident, progress } = run;
  const { policy, where } = page;
  const targets = fallbackTargets(page);
  const level = progress.level + 1;
  run.record({
    kind: 'notification',
    actor: 'firebreak',
    summary: `ALARM: paging failed (${where}, policy ${policy.name}): ${reason}. Paging ${targets.join(', ')} through the built-in pager.`,
    details: { alarm: 'paging-failed', level, round: progress.round + 1, error: reason },
  });
  try {
    await run.step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `page-fallback-r${progress.round}-l${progress.level}-${progress.pages}`),
        incidentId: incident.id,
        action: 'trigger',
        dedupKey: incident.id,
        summary: `[${incident.severity}] ${incident.title}`.slice(0, 1024),
        severity: PAGE_SEVERITY[incident.severity],
        targets,
        level,
        fallback: true,
      }),
    );
    run.record({
      kind: 'notification',
      actor: 'firebreak',
      summary: `Paged ${targets.join(', ')} through the fallback pager (${where}, policy ${policy.name})`,
      details: { level, round: progress.round + 1, targets, provider: 'local', fallback: true },
    });
  } catch (error) {
    run.record({ kind: 'notification', actor: 'firebreak', summary: `ALARM: the fallback page failed too (${where}): ${failureMessage(error)}` });
  }
}
