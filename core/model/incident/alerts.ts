/**
 * Alerts on an incident: how each is held, which ones count as firing, and what a
 * resolution or a recovered heartbeat moves the incident to. Pure.
 */
import type { Alert, ReceivedAlert } from '../alert';
import { boundAlert, STATE_ALERT_LIMITS } from '../alert-bounds';
import type { IncidentAlert, IncidentSnapshot, RecordEventInput } from '../incident';
import { IncidentStatus, type TimelineEntry } from '../incident-model';
import { compactId } from '../text';
import { INCIDENT_LIMITS } from './bounds';
import { hasReached, isOpen } from './state-machine';

/** The alert as the incident holds it: labels and annotations cut to the state limits. */
export const storedAlert = ({ receiptId, receivedAt, alert }: ReceivedAlert): IncidentAlert =>
  boundAlert({ ...alert, receiptId, receivedAt }, STATE_ALERT_LIMITS);

/** What makes two alerts the same firing alert: the fingerprint, else the dedup key and labels (long ones hashed). */
export const alertIdentity = (alert: Alert): string => compactId(alert.fingerprint ?? alert.dedupKey + JSON.stringify(alert.labels));

/** A firing alert is tracked while the set has room, or when it is tracked already. */
export const tracksFiring = (firing: ReadonlySet<string>, identity: string): boolean =>
  firing.size < INCIDENT_LIMITS.firing || firing.has(identity);

/** Recorded once, when the firing set first overflows. */
export const FIRING_UNTRACKED_SUMMARY = `More than ${INCIDENT_LIMITS.firing} distinct alerts fired: the firing count is a lower bound, and the route no longer auto-mitigates this incident`;

/** The timeline entry for a recorded alert. */
export function alertEntry({ receiptId, receivedBy, alert }: ReceivedAlert, stored: IncidentAlert): Omit<TimelineEntry, 'at'> {
  return {
    kind: 'alert',
    actor: receivedBy,
    summary: `${alert.status === 'firing' ? 'Alert firing' : 'Alert resolved'}: ${alert.summary}`,
    details: { receiptId, source: alert.source, status: alert.status, labels: stored.labels },
  };
}

/**
 * After a batch: an incident whose every tracked alert resolved (and none went untracked)
 * is mitigated, when its route says so and it is not mitigated yet.
 */
export function autoMitigates(incident: IncidentSnapshot, recorded: number, firing: number, firingUntracked: boolean): boolean {
  const allResolved = recorded > 0 && firing === 0 && !firingUntracked;
  return allResolved && !!incident.policy?.autoMitigate && !hasReached(incident.status, IncidentStatus.Mitigated);
}

export const AUTO_MITIGATE_HOW = 'Every alert resolved; route auto-mitigates';

/** Why a batch is refused, or undefined: an empty batch, or firing alerts on a closed-out incident. */
export function refuseAlerts(incident: IncidentSnapshot, alerts: ReceivedAlert[]): { invalid: string } | { notOpen: string } | undefined {
  if (!Array.isArray(alerts) || alerts.length === 0) return { invalid: 'an alert batch holds at least one alert' };
  if (!isOpen(incident.status) && alerts.some(({ alert }) => alert.status === 'firing')) {
    return { notOpen: `incident ${incident.id} is ${incident.status}; firing alerts open a new incident` };
  }
  return undefined;
}

/** What a recovered heartbeat moves its open incident to, per the monitor policy; undefined when nothing. */
export function recoveryMove(incident: IncidentSnapshot, heartbeat: RecordEventInput['heartbeat']): { status: IncidentStatus; how: string } | undefined {
  if (heartbeat !== 'recovered' || !isOpen(incident.status)) return undefined;
  const onRecovery = incident.policy?.onRecovery ?? 'mitigate';
  if (onRecovery === 'mitigate' && !hasReached(incident.status, IncidentStatus.Mitigated)) {
    return { status: IncidentStatus.Mitigated, how: 'Heartbeat recovered; monitor policy mitigates' };
  }
  if (onRecovery === 'resolve') return { status: IncidentStatus.Resolved, how: 'Heartbeat recovered; monitor policy resolves' };
  return undefined;
}
