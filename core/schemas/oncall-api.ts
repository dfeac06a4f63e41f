/**
 * The on-call API's bodies, query parameters and answers: who is on call, schedules and their
 * shifts, overrides, the calendar feed and an incident's notifications. Times travel as
 * ISO-8601 instants with a zone.
 */
import { z } from 'zod';
import { CONTACT_METHODS } from '../model/oncall/types';
import { ID_PATTERN, ID_RULE } from '../model/oncall/targets';
import { SCHEDULE_OVERRIDE_LIMITS } from '../model/schedule-overrides';
import type { IssueLike } from '../model/validation-issues';
import { plainLine } from './text-schemas';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The windows the schedule routes render. */
export const SCHEDULE_WINDOWS = {
  /** The longest window a request may ask for. */
  maxDays: 90,
  /** `GET /v1/schedules/:id`: from now, this many days ahead. */
  shiftsAheadDays: 14,
  /** `GET /v1/schedules/:id/calendar.ics`: this many days back ... */
  calendarBackDays: 7,
  /** ... to this many ahead. */
  calendarAheadDays: 60,
} as const;

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with a zone, e.g. 2026-03-01T09:00:00Z' });
const id = z.string().regex(ID_PATTERN, ID_RULE);

export const OnCallQuerySchema = z
  .object({
    at: instant.optional().describe('The moment to look at; default: now.'),
    schedule: id.optional().describe('Only this schedule.'),
  })
  .strict();
export type OnCallQuery = z.infer<typeof OnCallQuerySchema>;

export const ScheduleWindowQuerySchema = z
  .object({
    from: instant.optional().describe('Start of the window; default: now.'),
    to: instant.optional().describe(`End of the window; default: ${SCHEDULE_WINDOWS.shiftsAheadDays} days after from; at most ${SCHEDULE_WINDOWS.maxDays} days after it.`),
  })
  .strict();
export type ScheduleWindowQuery = z.infer<typeof ScheduleWindowQuerySchema>;

export const CalendarQuerySchema = z
  .object({
    from: instant.optional().describe(`Start of the feed; default: ${SCHEDULE_WINDOWS.calendarBackDays} days ago.`),
    to: instant.optional().describe(`End of the feed; default: ${SCHEDULE_WINDOWS.calendarAheadDays} days ahead; at most ${SCHEDULE_WINDOWS.maxDays} days after from.`),
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, 'a calendar feed token from GET /v1/schedules/:id')
      .optional()
      .describe('The schedule\'s feed token (`calendar.token` of GET /v1/schedules/:id), for calendar apps that cannot send an API key.'),
  })
  .strict();
export type CalendarQuery = z.infer<typeof CalendarQuerySchema>;

/**
 * The window `[fromMs, toMs)` a query asks for, with defaults taken from `nowMs`, or the
 * issues (naming `to`) of one that is empty or longer than {@link SCHEDULE_WINDOWS.maxDays}.
 */
export function windowOf(
  query: { from?: string; to?: string },
  nowMs: number,
  defaults: { backDays: number; aheadDays: number },
): { fromMs: number; toMs: number } | { issues: Array<IssueLike & { rule: string }> } {
  const fromMs = query.from ? Date.parse(query.from) : nowMs - defaults.backDays * DAY_MS;
  const toMs = query.to ? Date.parse(query.to) : (query.from ? fromMs : nowMs) + defaults.aheadDays * DAY_MS;
  if (toMs <= fromMs) return { issues: [{ path: ['to'], rule: 'not_after_from', message: 'must be after from' }] };
  if (toMs - fromMs > SCHEDULE_WINDOWS.maxDays * DAY_MS) {
    return { issues: [{ path: ['to'], rule: 'too_big', message: `the window may be at most ${SCHEDULE_WINDOWS.maxDays} days` }] };
  }
  return { fromMs, toMs };
}

export const CreateOverrideSchema = z
  .object({
    responder: id.describe('The responder who covers the schedule (an id in runbooks/responders.ts).'),
    from: instant.describe('When the override starts; at most a minute in the past.'),
    to: instant.describe('When it ends: in the future, after from, at most 31 days after it.'),
    reason: plainLine(SCHEDULE_OVERRIDE_LIMITS.reasonMaxBytes).optional(),
  })
  .strict();
export type CreateOverride = z.infer<typeof CreateOverrideSchema>;

export const NotificationsQuerySchema = z.object({ incidentId: z.string().min(1).max(100).describe('The incident, e.g. inc-0123456789ab.') }).strict();
export type NotificationsQuery = z.infer<typeof NotificationsQuerySchema>;

// ---- answers ------------------------------------------------------------------------------

const ShiftSourceSchema = z.object({
  kind: z.enum(['layer', 'override']),
  layer: z.string().optional().describe('The layer, for kind layer.'),
  overrideId: z.string().optional().describe('The override, for kind override.'),
});

export const ShiftViewSchema = z.object({
  responder: z.object({ id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  source: ShiftSourceSchema,
});
export type ShiftView = z.infer<typeof ShiftViewSchema>;

export const OnCallEntrySchema = z.object({
  schedule: z.object({ id: z.string(), name: z.string() }),
  /** Null when nobody is on call then. */
  shift: ShiftViewSchema.nullable(),
});

export const OnCallSchema = z.object({ at: z.string(), oncall: z.array(OnCallEntrySchema) });
export type OnCall = z.infer<typeof OnCallSchema>;

const LayerViewSchema = z.object({
  name: z.string(),
  responders: z.array(z.string()),
  start: z.string(),
  handoff: z.string(),
  shift: z.object({ every: z.number(), unit: z.enum(['hours', 'days', 'weeks']) }),
  restrictions: z.array(z.object({ days: z.array(z.string()), from: z.string(), to: z.string() })).optional(),
});

export const ScheduleSummarySchema = z.object({ id: z.string(), name: z.string(), timeZone: z.string(), layers: z.array(LayerViewSchema) });
export type ScheduleSummary = z.infer<typeof ScheduleSummarySchema>;

export const ScheduleListSchema = z.object({ schedules: z.array(ScheduleSummarySchema) });

export const OverrideViewSchema = z.object({
  id: z.string(),
  responder: z.string(),
  from: z.string(),
  to: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  reason: z.string().optional(),
});

export const ScheduleDetailSchema = ScheduleSummarySchema.extend({
  from: z.string(),
  to: z.string(),
  shifts: z.array(ShiftViewSchema),
  /** The overrides that have not ended. */
  overrides: z.array(OverrideViewSchema),
  calendar: z.object({
    /** The feed with its token: what to give a calendar app. */
    url: z.string(),
    token: z.string(),
  }),
});
export type ScheduleDetail = z.infer<typeof ScheduleDetailSchema>;

const NotificationRecordSchema = z.object({
  id: z.string(),
  responder: z.string(),
  name: z.string(),
  method: z.enum(CONTACT_METHODS),
  level: z.number(),
  round: z.number(),
  at: z.string(),
  outcome: z.enum(['sent', 'failed']),
  provider: z.string().optional(),
  vendorId: z.string().optional(),
  error: z.string().optional(),
});

export const NotificationsSchema = z.object({
  incidentId: z.string(),
  notifications: z.array(NotificationRecordSchema),
  /** Older notifications the incident no longer holds. */
  notificationsDropped: z.number(),
});
export type Notifications = z.infer<typeof NotificationsSchema>;
