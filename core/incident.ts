import type { Alert, ReceivedAlert } from './alert';
import type { IncidentStatus, Severity, TimelineEntry } from './incident-model';

/** How an incident workflow is started: from its first alert, or declared by a person. */
export interface OpenIncidentInput {
  incidentId: string;
  title: string;
  severity: Severity;
  service?: string;
  /** Alerts with this key land on this incident while it is open. */
  dedupKey?: string;
  /** The alert source or the API key name that opened it. */
  openedBy: string;
}

/** One alert as the incident holds it. */
export interface IncidentAlert extends Alert {
  receiptId: string;
  receivedAt: string;
}

/** What `GET /v1/incidents/:id` returns: the incident as its workflow knows it. */
export interface IncidentSnapshot {
  id: string;
  title: string;
  status: IncidentStatus;
  severity: Severity;
  service?: string;
  dedupKey?: string;
  openedAt: string;
  openedBy: string;
  alertCount: number;
  /** Alerts currently firing, by dedup fingerprint (or receipt when the alert has none). */
  firingAlerts: number;
  alerts: IncidentAlert[];
  timeline: TimelineEntry[];
}

export interface IngestAlertsInput {
  alerts: ReceivedAlert[];
}

export interface IngestAlertsResult {
  incidentId: string;
  /** Alerts newly recorded by this call (a redelivered receipt is not recorded twice). */
  recorded: number;
}

/** Failure types the incident workflow raises; callers branch on these, not on messages. */
export const IncidentFailure = {
  /** The incident no longer takes firing alerts: a new incident must open for the key. */
  NotOpen: 'IncidentNotOpen',
  /** The input broke a rule of the incident (an invalid transition, a malformed command). */
  Invalid: 'IncidentCommandInvalid',
} as const;
export type IncidentFailure = (typeof IncidentFailure)[keyof typeof IncidentFailure];
