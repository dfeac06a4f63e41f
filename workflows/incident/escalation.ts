import { condition } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import { beginPage, fallbackTargets, type LevelPage, levelTimedOut, PAGE_SEVERITY } from '../../core/model/incident/escalation';
import { IncidentStatus } from '../../core/model/incident-model';
import { pagingPage } from './activities';
import { compat } from '../compat';
import { carryOutNow } from './effects';
import { failureMessage, type IncidentRun } from './incident-run';

/** Pages the ladder level by level until it is acknowledged, exhausted, or the incident closes. */
export async function escalationLoop(run: IncidentRun): Promise<void> {
  const { incident, progress } = run;
  for (;;) {
    await condition(() => progress.state === 'paging' || incident.status === IncidentStatus.Closed);
    if (incident.status === IncidentStatus.Closed) return;
    if (progress.pagePending) {
      await pageCurrentLevel(run);
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
  const { incident, progress } = run;
  const page = beginPage(incident, Date.now());
  const { policy, level, where } = page;
  try {
    const result = await run.step(() =>
      pagingPage({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `page-r${progress.round}-l${progress.level}-${progress.pages}`),
        incidentId: incident.id,
        action: 'trigger',
        dedupKey: incident.dedupKey ?? incident.id,
        summary: `[${incident.severity}] ${incident.title}`,
        severity: PAGE_SEVERITY[incident.severity],
        targets: level.targets,
        level: progress.level + 1,
      }),
    );
    run.record({
      kind: 'notification',
      actor: 'firebreak',
      summary: `Paged ${level.targets.join(', ')} (${where}, policy ${policy.name})`,
      details: { level: progress.level + 1, round: progress.round + 1, targets: level.targets, provider: result.provider },
    });
  } catch (error) {
    if (!compat.pagingFallback()) {
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
