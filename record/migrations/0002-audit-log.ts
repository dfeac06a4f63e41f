/**
 * The audit log: one row per request that changed something or was refused (docs/audit.md).
 * Append-only in the database itself: a trigger refuses UPDATE, DELETE and TRUNCATE, so
 * neither the API nor a hand-typed statement can rewrite history. Retention is the one way
 * out, `audit_log_prune(before)`, a function run by the table's owner (docs/audit.md).
 */
import { type Kysely, sql } from 'kysely';

export const UP = `
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  -- Made where the request was answered: a spooled entry replayed twice is inserted once.
  entry_id uuid NOT NULL UNIQUE,
  at timestamptz NOT NULL,
  principal text,
  role text,
  via text NOT NULL CHECK (via IN ('api', 'console', 'cli', 'slack')),
  method text NOT NULL,
  route text,
  target text,
  action text,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'refused', 'failed')),
  status integer NOT NULL,
  request_id text,
  source_ip text,
  details jsonb
);
-- Newest first, and each filter with its own index; id breaks ties of the same instant.
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_principal ON audit_log (principal, at DESC, id DESC);
CREATE INDEX audit_log_target ON audit_log (target, at DESC, id DESC);
CREATE INDEX audit_log_outcome ON audit_log (outcome, at DESC, id DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused (prune with audit_log_prune)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Retention: deletes the entries older than \`before\` and answers how many. Only the table's
-- owner may disable its trigger, so only the owner may run this (EXECUTE revoked from PUBLIC);
-- the trigger is off inside this one transaction only.
CREATE FUNCTION audit_log_prune(before timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  pruned bigint;
BEGIN
  ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
  DELETE FROM audit_log WHERE at < before;
  GET DIAGNOSTICS pruned = ROW_COUNT;
  ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
  RETURN pruned;
END;
$$;
REVOKE EXECUTE ON FUNCTION audit_log_prune(timestamptz) FROM PUBLIC;
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE audit_log; DROP FUNCTION audit_log_prune(timestamptz); DROP FUNCTION audit_log_refuse_change();').execute(db);
}
