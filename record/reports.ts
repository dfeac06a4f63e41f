/**
 * Response and runbook reports, computed in PostgreSQL from what the projection recorded:
 * every incident counts, whoever acknowledged, mitigated or resolved it (the API, chat, the
 * CLI, auto-mitigation, a heartbeat's recovery), because the workflow stamps each milestone
 * whichever path reached it. Percentiles are `percentile_cont` (linear interpolation).
 */
import { type Kysely, sql } from 'kysely';
import type { RecordDatabase } from './schema';

export const REPORT_GROUPS = ['service', 'severity', 'route'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];
export const REPORT_INTERVALS = ['day', 'week', 'month'] as const;
export type ReportInterval = (typeof REPORT_INTERVALS)[number];

export interface ResponseReportQuery {
  /** Incidents opened in [from, to). */
  from: string;
  to: string;
  by?: ReportGroup;
  interval: ReportInterval;
}

/** p50, p90 and mean of one milestone, in seconds; absent when no incident reached it. */
export interface MilestoneStats {
  count: number;
  p50?: number;
  p90?: number;
  mean?: number;
}

export interface ResponseBucket {
  /** Start of the bucket (UTC; weeks start on Monday). */
  start: string;
  /** The group's value (`by`); absent without `by`, or for incidents without one. */
  key?: string;
  incidents: number;
  mtta: MilestoneStats;
  mttm: MilestoneStats;
  mttr: MilestoneStats;
}

const stats = (count: number | string, p50: unknown, p90: unknown, mean: unknown): MilestoneStats => ({
  count: Number(count),
  ...(p50 === null ? {} : { p50: Number(p50), p90: Number(p90), mean: Number(mean) }),
});

export async function responseReport(db: Kysely<RecordDatabase>, query: ResponseReportQuery): Promise<ResponseBucket[]> {
  // Days and weeks (from Monday 2000-01-03) by arithmetic on the instant, as the weekly index
  // (migration 0003) has them; months need the calendar.
  const bucket =
    query.interval === 'month'
      ? sql`date_trunc('month', opened_at, 'UTC')`
      : sql`date_bin(${sql.lit(query.interval === 'week' ? '7 days' : '1 day')}::interval, opened_at, '2000-01-03T00:00:00Z'::timestamptz)`;
  const key = query.by ? sql.ref(query.by) : sql`NULL::text`;
  // One sort per milestone for both percentiles.
  const milestone = (column: string) => {
    const ref = sql.ref(column);
    return sql`ARRAY[count(${ref})::float8] || coalesce(percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${ref}), ARRAY[NULL, NULL]::float8[]) || avg(${ref})`;
  };
  const result = await db.transaction().execute(async (trx) => {
    // A year of incidents sorts in memory rather than in temporary files (the default is 4 MB).
    await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
    return sql<{ start: Date; key: string | null; incidents: string; row: unknown[] }>`
      SELECT ${bucket} AS start, ${key} AS key, count(*) AS incidents,
        ${milestone('tta_seconds')} || ${milestone('ttm_seconds')} || ${milestone('ttr_seconds')} AS row
      FROM incidents
      WHERE opened_at >= ${query.from} AND opened_at < ${query.to}
      GROUP BY 1, 2
      ORDER BY 1, 2 NULLS FIRST`.execute(trx);
  });
  return result.rows.map((row) => {
    const values = row.row;
    return {
      start: new Date(row.start).toISOString(),
      ...(row.key === null ? {} : { key: row.key }),
      incidents: Number(row.incidents),
      mtta: stats(values[0] as number, values[1], values[2], values[3]),
      mttm: stats(values[4] as number, values[5], values[6], values[7]),
      mttr: stats(values[8] as number, values[9], values[10], values[11]),
    };
  });
}

export interface RunbookReportQuery {
  /** Executions started in [from, to); dry runs are left out. */
  from: string;
  to: string;
}

export interface RunbookReportRow {
  runbookId: string;
  executions: number;
  completed: number;
  failed: number;
  /** Completed among the ended ones (completed, failed, cancelled, over budget); absent when none ended. */
  successRate?: number;
  /** Seconds from start to end, of the ended ones. */
  p50DurationSeconds?: number;
  approvals: number;
  approvalWaitSeconds: number;
  compensations: number;
}

export async function runbookReport(db: Kysely<RecordDatabase>, query: RunbookReportQuery): Promise<RunbookReportRow[]> {
  const rows = await db
    .selectFrom('executions')
    .select([
      'runbook',
      sql<string>`count(*)`.as('executions'),
      sql<string>`count(*) FILTER (WHERE status = 'completed')`.as('completed'),
      sql<string>`count(*) FILTER (WHERE status = 'failed')`.as('failed'),
      sql<string>`count(*) FILTER (WHERE status IN ('completed', 'failed', 'cancelled', 'over-budget'))`.as('ended'),
      sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds)`.as('p50'),
      sql<string>`sum(approvals)`.as('approvals'),
      sql<number>`sum(approval_wait_seconds)`.as('wait'),
      sql<string>`sum(compensations)`.as('compensations'),
    ])
    .where('dry_run', '=', false)
    .where('started_at', '>=', new Date(query.from))
    .where('started_at', '<', new Date(query.to))
    .groupBy('runbook')
    .orderBy('runbook')
    .execute();
  return rows.map((row) => {
    const ended = Number(row.ended);
    return {
      runbookId: row.runbook,
      executions: Number(row.executions),
      completed: Number(row.completed),
      failed: Number(row.failed),
      ...(ended > 0 ? { successRate: Number(row.completed) / ended } : {}),
      ...(row.p50 === null ? {} : { p50DurationSeconds: Number(row.p50) }),
      approvals: Number(row.approvals),
      approvalWaitSeconds: Number(row.wait),
      compensations: Number(row.compensations),
    };
  });
}
