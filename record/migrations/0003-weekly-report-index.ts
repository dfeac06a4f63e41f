/**
 * The weekly response report by service (the report's default interval, and the grouping
 * people read most) from one index in the order the report groups by: no sort of the year's
 * incidents, and no bucket computed per row. Buckets are `date_bin` from a Monday, which is
 * arithmetic on the instant (immutable, so indexable), where `date_trunc(…, 'UTC')` looks up
 * the time zone for every row; record/reports.ts computes them the same way.
 * docs/decisions/2026-12-07-weekly-report-index.md has the figures.
 */
import { type Kysely, sql } from 'kysely';

export const UP = `
CREATE INDEX incidents_week_service ON incidents (date_bin('7 days', opened_at, '2000-01-03T00:00:00Z'), service NULLS FIRST)
  INCLUDE (opened_at, tta_seconds, ttm_seconds, ttr_seconds);
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX incidents_week_service`.execute(db);
}
