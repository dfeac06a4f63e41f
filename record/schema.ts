/**
 * The record's tables as Kysely sees them (the SQL is in migrations/ and docs/record.md).
 * Times are `timestamptz`, read back as `Date`; durations are seconds.
 */
import type { ColumnType, Generated } from 'kysely';

type Time = ColumnType<Date, Date | string, Date | string>;
type NullableTime = ColumnType<Date | null, Date | string | null, Date | string | null>;
type Json = ColumnType<unknown, string, string>;

export interface IncidentsTable {
  id: string;
  title: string;
  summary: string | null;
  status: string;
  severity: string;
  priority: string | null;
  service: string | null;
  route: string | null;
  dedup_key: string | null;
  opened_at: Time;
  acknowledged_at: NullableTime;
  mitigated_at: NullableTime;
  resolved_at: NullableTime;
  closed_at: NullableTime;
  opened_by: string;
  commander: string | null;
  alert_count: number;
  /** The newest timeline entry written (its number in the incident's whole timeline). */
  last_seq: number;
  postmortem: string | null;
  /** The `last_seq` of the write that brought `postmortem`: an older one never replaces it. */
  postmortem_seq: Generated<number>;
  /** Seconds from open to each milestone, kept beside the times so reports read one index. */
  tta_seconds: number | null;
  ttm_seconds: number | null;
  ttr_seconds: number | null;
  /** Title, summary, alert summaries and label values, notes and postmortem (text search). */
  search: ColumnType<string, never, never>;
  updated_at: Generated<Time>;
}

export interface IncidentEventsTable {
  incident_id: string;
  seq: number;
  at: Time;
  kind: string;
  actor: string;
  summary: string;
  details: Json | null;
}

export interface IncidentAlertsTable {
  incident_id: string;
  /** A hash of the alert's source and labels: one row per distinct alert. */
  alert_key: string;
  alertname: string | null;
  source: string;
  summary: string;
  labels: Json;
  first_seq: number;
  last_seq: number;
  last_status: string;
  deliveries: number;
}

export interface ExecutionsTable {
  id: string;
  runbook: string;
  incident_id: string | null;
  status: string;
  dry_run: boolean;
  trigger: string;
  launched_by: string;
  started_at: Time;
  ended_at: NullableTime;
  duration_seconds: number | null;
  approvals: number;
  approval_wait_seconds: number;
  compensations: number;
  steps: number;
  error: string | null;
  /** Grows with every change the runbook workflow makes: an older write never replaces a newer. */
  revision: number;
  updated_at: Generated<Time>;
}

export interface RecordDatabase {
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  incident_alerts: IncidentAlertsTable;
  executions: ExecutionsTable;
}
