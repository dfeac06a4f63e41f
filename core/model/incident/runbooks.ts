/**
 * Runbooks an incident starts: which decided starts are held, which are made, and the
 * bounded list of executions it keeps. Pure.
 */
import type { IncidentSnapshot } from '../incident';
import type { RunbookLaunch } from '../runbook-launch';
import { jsonBytes } from '../text';
import { INCIDENT_LIMITS } from './bounds';
import { isOpen } from './state-machine';

/** A runbook start decided by the API, waiting for its turn. */
export type PendingLaunch = RunbookLaunch & { trigger: 'alert' | 'route' };

/**
 * Whether a start decided by the API is held: `skip` when the launcher would skip it anyway
 * (the runbook ran or is waiting), `full` when the pending bounds are reached, else `hold`.
 */
export function queueDecision(incident: IncidentSnapshot, launches: readonly PendingLaunch[], launch: PendingLaunch): 'skip' | 'full' | 'hold' {
  const ranOrWaiting =
    incident.runbooks.some((run) => run.runbookId === launch.runbookId) ||
    launches.some((waiting) => !waiting.refused && waiting.runbookId === launch.runbookId);
  if (!launch.refused && !launch.everyAlert && ranOrWaiting) return 'skip';
  const full =
    launches.length >= INCIDENT_LIMITS.pendingLaunches || jsonBytes(launches) + jsonBytes(launch) > INCIDENT_LIMITS.pendingLaunchesBytes;
  return full ? 'full' : 'hold';
}

/** Whether the launcher starts `launch` now: once per incident (unless `everyAlert`), and only while open. */
export function startsNow(incident: IncidentSnapshot, launch: PendingLaunch): boolean {
  const already = incident.runbooks.some((run) => run.runbookId === launch.runbookId);
  return !(already && !launch.everyAlert) && isOpen(incident.status);
}

/**
 * Keeps the list of started runbooks bounded: past the limit, the oldest entry of a
 * runbook listed again later goes (each runbook keeps one, so "already ran" still holds).
 */
export function trimRunbookList(runbooks: IncidentSnapshot['runbooks']): void {
  while (runbooks.length > INCIDENT_LIMITS.runbooks) {
    const repeated = runbooks.findIndex((run, index) => runbooks.some((later, laterIndex) => laterIndex > index && later.runbookId === run.runbookId));
    runbooks.splice(Math.max(0, repeated), 1);
  }
}

/** The launches a run starts with: those carried, or on the first run the route's runbooks. */
export function initialLaunches(carried: PendingLaunch[] | undefined, first: boolean, routeRunbooks: RunbookLaunch[] | undefined): PendingLaunch[] {
  return [...(carried ?? []), ...(first ? (routeRunbooks ?? []).map((launch) => ({ ...launch, trigger: 'route' as const })) : [])];
}

export const droppedLaunchesSummary = (dropped: number): string =>
  `${dropped} runbook start(s) not made: ${INCIDENT_LIMITS.pendingLaunches} starts were already waiting`;
