import { IncidentStatus } from '../incident-model';

/** Status order: an incident moves forward, skipping steps if it must. */
const ORDER: readonly IncidentStatus[] = [
  IncidentStatus.Triggered,
  IncidentStatus.Acknowledged,
  IncidentStatus.Investigating,
  IncidentStatus.Mitigated,
  IncidentStatus.Resolved,
  IncidentStatus.Closed,
];

/** Where `reopen` takes a resolved incident: back to active work. */
export const REOPENED_STATUS = IncidentStatus.Investigating;

export type TransitionCheck = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether an incident may move from `from` to `to`. Forward moves (with skips) are allowed;
 * `reopen` (resolved → investigating) is the one way back; closed is final.
 */
export function checkTransition(from: IncidentStatus, to: IncidentStatus, reopen = false): TransitionCheck {
  if (reopen) {
    return from === IncidentStatus.Resolved && to === REOPENED_STATUS
      ? { allowed: true }
      : { allowed: false, reason: `only a resolved incident can be reopened; this one is ${from}` };
  }
  if (from === IncidentStatus.Closed) return { allowed: false, reason: 'the incident is closed' };
  if (from === to) return { allowed: false, reason: `the incident is already ${from}` };
  if (ORDER.indexOf(to) < ORDER.indexOf(from)) {
    const hint = from === IncidentStatus.Resolved ? '; reopen it first' : '';
    return { allowed: false, reason: `cannot go back from ${from} to ${to}${hint}` };
  }
  return { allowed: true };
}

/** True while responders are still working it: firing alerts land here. */
export function isOpen(status: IncidentStatus): boolean {
  return ORDER.indexOf(status) < ORDER.indexOf(IncidentStatus.Resolved);
}

/** True once the status is at or past `milestone`. */
export function hasReached(status: IncidentStatus, milestone: IncidentStatus): boolean {
  return ORDER.indexOf(status) >= ORDER.indexOf(milestone);
}
