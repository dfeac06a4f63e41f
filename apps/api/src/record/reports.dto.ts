import { z } from 'zod';
import { createApiDto } from '../http/api-dto';
import { REPORT_GROUPS, REPORT_INTERVALS } from '../../../../record/reports';

const DAY_MS = 86_400_000;
/** Buckets one response report may hold at most (per group): a year of days, or twenty years of months. */
export const REPORT_MAX_BUCKETS = 400;
const INTERVAL_DAYS = { day: 1, week: 7, month: 28 } as const;

const range = {
  from: z.iso.datetime({ offset: true }).optional().describe('Start (inclusive), ISO-8601; default 30 days before `to`.'),
  to: z.iso.datetime({ offset: true }).optional().describe('End (exclusive), ISO-8601; default now.'),
};

/** The range a report covers, with its defaults applied. */
export function reportRange(query: { from?: string; to?: string }, now = Date.now()): { from: string; to: string } {
  const to = query.to ? Date.parse(query.to) : now;
  const from = query.from ? Date.parse(query.from) : to - 30 * DAY_MS;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Both ends given are times (a field that is not has its own issue already). */
const validRange = (query: { from?: string; to?: string }) =>
  [query.from, query.to].every((value) => value === undefined || !Number.isNaN(Date.parse(value)));

const fromBeforeTo = (query: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (!validRange(query)) return;
  const { from, to } = reportRange(query);
  if (Date.parse(from) >= Date.parse(to)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before `to`' });
};

export const ResponseReportQuerySchema = z
  .object({
    ...range,
    by: z.enum(REPORT_GROUPS).optional().describe('Group each bucket by this field.'),
    interval: z.enum(REPORT_INTERVALS).default('week').describe('Bucket size (UTC; weeks start on Monday).'),
  })
  .strict()
  .superRefine((query, ctx) => {
    fromBeforeTo(query, ctx);
    if (!validRange(query)) return;
    const { from, to } = reportRange(query);
    const buckets = (Date.parse(to) - Date.parse(from)) / (INTERVAL_DAYS[query.interval] * DAY_MS);
    if (buckets > REPORT_MAX_BUCKETS) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: `a ${query.interval} report covers at most ${REPORT_MAX_BUCKETS} ${query.interval}s: use a longer interval or a shorter range` });
    }
  });
export class ResponseReportQueryDto extends createApiDto(ResponseReportQuerySchema) {}

export const RunbookReportQuerySchema = z.object(range).strict().superRefine(fromBeforeTo);
export class RunbookReportQueryDto extends createApiDto(RunbookReportQuerySchema) {}

const milestone = z.object({ count: z.number(), p50: z.number().optional(), p90: z.number().optional(), mean: z.number().optional() });

export const ResponseReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(REPORT_INTERVALS),
  by: z.enum(REPORT_GROUPS).optional(),
  buckets: z.array(
    z.object({
      start: z.string(),
      key: z.string().optional(),
      incidents: z.number(),
      mtta: milestone.describe('Seconds from open to acknowledgement'),
      mttm: milestone.describe('Seconds from open to mitigation'),
      mttr: milestone.describe('Seconds from open to resolution'),
    }),
  ),
});
export class ResponseReportDto extends createApiDto(ResponseReportSchema) {}

export const RunbookReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  runbooks: z.array(
    z.object({
      runbookId: z.string(),
      executions: z.number(),
      completed: z.number(),
      failed: z.number(),
      successRate: z.number().optional(),
      p50DurationSeconds: z.number().optional(),
      approvals: z.number(),
      approvalWaitSeconds: z.number(),
      compensations: z.number(),
    }),
  ),
});
export class RunbookReportDto extends createApiDto(RunbookReportSchema) {}
