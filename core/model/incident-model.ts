/**
 * The incident's vocabulary: statuses, severities, roles and the shape of its timeline.
 * Pure data and types; the workflow, the API and runbooks all speak these.
 */

export const IncidentStatus = {
  Triggered: 'triggered',
  Acknowledged: 'acknowledged',
  Investigating: 'investigating',
  Mitigated: 'mitigated',
  Resolved: 'resolved',
  Closed: 'closed',
} as const;
export type IncidentStatus = (typeof IncidentStatus)[keyof typeof IncidentStatus];
export const INCIDENT_STATUSES = Object.values(IncidentStatus) as [IncidentStatus, ...IncidentStatus[]];

export const SEVERITIES = ['SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severity given to an incident whose first alert names none. */
export const DEFAULT_SEVERITY: Severity = 'SEV3';

/** SEV0 and SEV1: their alerts are delivered and their incidents' tasks run ahead of a storm of others. */
export function goesFirst(severity: Severity): boolean {
  return severity === 'SEV0' || severity === 'SEV1';
}

/** One line of the incident's history: the raw material of the postmortem. */
export interface TimelineEntry {
  /** ISO-8601 time the entry was recorded. */
  at: string;
  kind: 'alert' | 'status' | 'note' | 'role' | 'severity' | 'notification' | 'runbook' | 'status-update';
  /** Who caused it: an API key's name, an alert source, or `firebreak`. */
  actor: string;
  summary: string;
  details?: Record<string, unknown>;
}
