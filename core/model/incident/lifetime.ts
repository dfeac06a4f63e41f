/**
 * An incident's life across runs: how it opens, when a run continues as new, and what the
 * next run carries. Pure.
 */
import type { CarriedIncidentState, IncidentSnapshot, OpenIncidentInput } from '../incident';
import { IncidentStatus, type TimelineEntry } from '../incident-model';
import { INCIDENT_LIMITS } from './bounds';
import type { PendingLaunch } from './runbooks';

/** History events after which an incident continues as new, unless its input says otherwise. */
export const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

/** A new incident's snapshot, opened at `now`. */
export function newIncident(input: OpenIncidentInput, now: string): IncidentSnapshot {
  return {
    id: input.incidentId,
    title: input.title,
    summary: input.summary,
    status: IncidentStatus.Triggered,
    severity: input.severity,
    priority: input.policy?.priority,
    service: input.service,
    dedupKey: input.dedupKey,
    openedAt: now,
    openedBy: input.openedBy,
    metrics: {},
    roles: { commander: input.commander, investigators: [] },
    policy: input.policy,
    alertCount: 0,
    firingAlerts: 0,
    alerts: [],
    actionItems: [],
    runbooks: [],
    escalation: input.policy?.escalation
      ? { policy: input.policy.escalation.name, state: 'paging', level: 0, round: 0, pages: 0, pagePending: true }
      : { state: 'idle', level: 0, round: 0, pages: 0 },
    timeline: [],
    timelineStart: 0,
    continuedAsNew: 0,
  };
}

/** The first run's opening entries: the incident opened, and its commander if named. */
export function openingEntries(incident: IncidentSnapshot, input: OpenIncidentInput): Array<Omit<TimelineEntry, 'at'>> {
  const opened: Omit<TimelineEntry, 'at'> = {
    kind: 'status',
    actor: input.openedBy,
    summary: `Incident opened (${incident.severity}${incident.priority ? `, ${incident.priority}` : ''}): ${incident.title}`,
    details: { route: input.policy?.route },
  };
  const commander = incident.roles.commander;
  const notes = (input.notes ?? []).map((summary): Omit<TimelineEntry, 'at'> => ({ kind: 'note', actor: 'firebreak', summary }));
  return commander ? [opened, { kind: 'role', actor: input.openedBy, summary: `${commander} is the incident commander` }, ...notes] : [opened, ...notes];
}

/**
 * The state has outgrown its budget: past `maxStateBytes`, and grown by a quarter of it
 * since the run started (so a run that starts large cannot loop).
 */
export const stateOverBudget = (stateBytes: number, startBytes: number, maxStateBytes: number): boolean =>
  stateBytes >= Math.max(maxStateBytes, startBytes + maxStateBytes / 4);

/**
 * Old enough to continue on state size: Temporal delays the first task (and so every read)
 * of a run that follows a run continued too soon, and the windows bound the state meanwhile.
 */
export const oldEnoughToContinue = (runAgeMs: number): boolean => runAgeMs >= INCIDENT_LIMITS.minRunMsBeforeStateContinue;

/**
 * The windows a new run starts with, in bytes: half of what a run holds, so it has room to
 * grow before it continues again.
 */
export function carriedWindowBytes(maxStateBytes: number): { timeline: number; alerts: number } {
  return {
    timeline: Math.min(INCIDENT_LIMITS.carriedTimelineBytes, (maxStateBytes * 3) / 8),
    alerts: Math.min(INCIDENT_LIMITS.carriedAlertsBytes, (maxStateBytes * 3) / 16),
  };
}

/** What the next run carries; the postmortem is written again from the state on its first publish. */
export function carry(
  incident: IncidentSnapshot,
  sets: { receipts: string[]; firing: string[]; firingUntracked: boolean },
  launches: PendingLaunch[],
): CarriedIncidentState {
  return {
    snapshot: { ...incident, postmortem: undefined, continuedAsNew: incident.continuedAsNew + 1 },
    receipts: sets.receipts,
    firing: sets.firing,
    ...(sets.firingUntracked ? { firingUntracked: sets.firingUntracked } : {}),
    launches,
  };
}
