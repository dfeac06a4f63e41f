/**
 * Status moves and the metrics they reach. Pure: the snapshot changes, effects come back.
 */
import type { IncidentMetrics, IncidentSnapshot } from '../incident';
import { IncidentStatus } from '../incident-model';
import { resolveStatusPage } from './status-page';
import type { Effect } from './effects';
import { notifyPager, stopEscalation } from './escalation';
import { hasReached } from './state-machine';

/** The status each lifecycle command moves to. */
export const TARGET_STATUS = {
  acknowledge: IncidentStatus.Acknowledged,
  investigate: IncidentStatus.Investigating,
  mitigate: IncidentStatus.Mitigated,
  resolve: IncidentStatus.Resolved,
  close: IncidentStatus.Closed,
} as const;
export type LifecycleAction = keyof typeof TARGET_STATUS;

/** How the timeline names each lifecycle command. */
export const LIFECYCLE_VERB = {
  acknowledge: 'Acknowledged',
  investigate: 'Investigating',
  mitigate: 'Mitigated',
  resolve: 'Resolved',
  close: 'Closed',
} as const satisfies Record<LifecycleAction, string>;

const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/** Milestone timestamps and the metric each one sets, in the order they are reached. */
const MILESTONES = [
  { status: IncidentStatus.Acknowledged, at: 'acknowledgedAt', metric: 'timeToAcknowledgeSeconds' },
  { status: IncidentStatus.Mitigated, at: 'mitigatedAt', metric: 'timeToMitigateSeconds' },
  { status: IncidentStatus.Resolved, at: 'resolvedAt', metric: 'timeToResolveSeconds' },
] as const;

/**
 * Moves the incident to `status` (already checked allowed): stamps the milestones reached
 * for the first time, stops the escalation once acknowledged, and tells the pager when the
 * incident newly resolves. `how` heads the timeline entry.
 */
export function moveStatus(incident: IncidentSnapshot, status: IncidentStatus, actor: string, how: string, now: string): Effect[] {
  const from = incident.status;
  incident.status = status;
  for (const milestone of MILESTONES) {
    if (hasReached(status, milestone.status) && !incident[milestone.at]) {
      incident[milestone.at] = now;
      incident.metrics[milestone.metric] = seconds(incident.openedAt, now);
    }
  }
  if (status === IncidentStatus.Closed) incident.closedAt = now;
  const effects: Effect[] = [{ kind: 'record', entry: { kind: 'status', actor, summary: `${how}: ${from} → ${status}` }, at: now }];
  if (hasReached(status, IncidentStatus.Acknowledged)) effects.push(...stopEscalation(incident, actor));
  if (hasReached(status, IncidentStatus.Resolved) && !hasReached(from, IncidentStatus.Resolved)) {
    effects.push(...notifyPager(incident, 'resolve'), ...resolveStatusPage(incident));
  }
  return effects;
}

/** Metrics set now that were not set `before`: each milestone is counted once. */
export function newlyReached(before: IncidentMetrics, after: IncidentMetrics): Array<keyof IncidentMetrics> {
  return (Object.keys(after) as Array<keyof IncidentMetrics>).filter((metric) => after[metric] !== undefined && before[metric] === undefined);
}
