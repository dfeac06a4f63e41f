/**
 * The first schema: incidents, their timeline and alerts, runbook executions. docs/record.md
 * shows the same SQL. Text search uses the `english` configuration (stemming, stop words).
 */
import { type Kysely, sql } from 'kysely';

export const UP = `
CREATE TABLE incidents (
  id text PRIMARY KEY,
  title text NOT NULL,
  summary text,
  status text NOT NULL,
  severity text NOT NULL,
  priority text,
  service text,
  route text,
  dedup_key text,
  opened_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  mitigated_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  opened_by text NOT NULL,
  commander text,
  alert_count integer NOT NULL DEFAULT 0,
  last_seq integer NOT NULL,
  postmortem text,
  postmortem_seq integer NOT NULL DEFAULT -1,
  tta_seconds double precision,
  ttm_seconds double precision,
  ttr_seconds double precision,
  search tsvector NOT NULL DEFAULT ''::tsvector,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_search ON incidents USING gin (search);
-- Covering: a report over a time range reads this index alone.
CREATE INDEX incidents_opened_at ON incidents (opened_at) INCLUDE (service, severity, route, tta_seconds, ttm_seconds, ttr_seconds);
CREATE INDEX incidents_service ON incidents (service, opened_at);
CREATE INDEX incidents_severity ON incidents (severity, opened_at);
CREATE INDEX incidents_status ON incidents (status, opened_at);
CREATE INDEX incidents_duration ON incidents (ttr_seconds);

CREATE TABLE incident_events (
  incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  actor text NOT NULL,
  summary text NOT NULL,
  details jsonb,
  PRIMARY KEY (incident_id, seq)
);

CREATE TABLE incident_alerts (
  incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  alert_key text NOT NULL,
  alertname text,
  source text NOT NULL,
  summary text NOT NULL,
  labels jsonb NOT NULL,
  first_seq integer NOT NULL,
  last_seq integer NOT NULL,
  last_status text NOT NULL,
  deliveries integer NOT NULL,
  PRIMARY KEY (incident_id, alert_key)
);
CREATE INDEX incident_alerts_alertname ON incident_alerts (alertname);

CREATE TABLE executions (
  id text PRIMARY KEY,
  runbook text NOT NULL,
  incident_id text,
  status text NOT NULL,
  dry_run boolean NOT NULL,
  trigger text NOT NULL,
  launched_by text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  duration_seconds double precision,
  approvals integer NOT NULL,
  approval_wait_seconds double precision NOT NULL,
  compensations integer NOT NULL,
  steps integer NOT NULL,
  error text,
  revision bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX executions_incident ON executions (incident_id);
CREATE INDEX executions_runbook ON executions (runbook, started_at);
CREATE INDEX executions_started_at ON executions (started_at);
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE executions; DROP TABLE incident_alerts; DROP TABLE incident_events; DROP TABLE incidents;').execute(db);
}
