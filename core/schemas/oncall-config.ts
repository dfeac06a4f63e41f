/**
 * On call as the operator writes it: `runbooks/responders.ts` and `runbooks/schedules.ts`.
 * Checked with the other operator files when the API and the worker start
 * (see loadOperatorConfig); a mistake stops start-up naming the file and the field.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { ID_PATTERN, ID_RULE } from '../model/oncall/targets';
import { minutesOf } from '../model/oncall/schedule';
import { CONTACT_METHODS, WEEKDAYS, type ContactMethod, type Layer, type Responder, type Schedule } from '../model/oncall/types';

/** At most this many of each, so a schedule renders in bounded time. */
export const ONCALL_LIMITS = { rules: 10, layers: 50, respondersPerLayer: 100, restrictionsPerLayer: 14 } as const;

/** The longest shift: a week of hours, a year of days, a year of weeks. */
export const MAX_SHIFT_EVERY = { hours: 24 * 7, days: 365, weeks: 52 } as const;

const Id = z.string().regex(ID_PATTERN, ID_RULE);
const TimeZone = z.string().refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone (e.g. Europe/Berlin)');
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59');
const ClockOrMidnight = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 00:00 to 24:00');
const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((date) => {
    const [year, month, day] = date.split('-').map(Number);
    const parsed = new Date(Date.UTC(year, month - 1, day));
    return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
  }, 'not a date in the calendar');

const PHONE = z.string().regex(/^\+[1-9]\d{7,14}$/, 'an E.164 phone number: + and 8 to 15 digits');
/** The address each method needs. */
const ADDRESS = {
  slack: z.string().regex(/^[UW][A-Z0-9]{2,30}$/, 'a Slack user id: U or W, then capital letters and digits'),
  email: z.email('an email address').max(254),
  sms: PHONE,
  voice: PHONE,
} satisfies Record<ContactMethod, z.ZodType<string>>;

const NotificationRuleSchema = z
  .object({
    method: z.enum(CONTACT_METHODS),
    /** Minutes the page has gone unacknowledged before this rule fires (fractions allowed; 0: at once). */
    afterMinutes: z.number().min(0).max(24 * 60),
  })
  .strict();

export const ResponderSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(100),
    timeZone: TimeZone,
    contact: z
      .object(ADDRESS)
      .partial()
      .strict(),
    rules: z.array(NotificationRuleSchema).min(1, 'a responder is notified by at least one rule').max(ONCALL_LIMITS.rules),
  })
  .strict()
  .superRefine((responder, ctx) => {
    responder.rules.forEach((rule, index) => {
      if (!responder.contact[rule.method]) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'method'], message: `no ${rule.method} address in contact` });
      }
      const previous = responder.rules[index - 1];
      if (previous && rule.afterMinutes < previous.afterMinutes) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'afterMinutes'], message: 'rules are listed in the order they fire: afterMinutes may not go down' });
      }
    });
  }) satisfies z.ZodType<Responder>;

const RestrictionSchema = z
  .object({
    /** The days a window opens on; one running past midnight ends the next day. */
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'a restriction names at least one day')
      .refine((days) => new Set(days).size === days.length, 'a day is named twice'),
    from: Clock,
    to: ClockOrMidnight,
  })
  .strict()
  .superRefine((restriction, ctx) => {
    if (minutesOf(restriction.from) === minutesOf(restriction.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a window from and to the same time is ambiguous: write 00:00 to 24:00 for a whole day' });
    }
  });

const MINUTES_PER_WEEK = 7 * 24 * 60;

/** The restriction's windows as minutes of the week from Monday 00:00, split at the week's end. */
function weeklyMinutes(restriction: z.infer<typeof RestrictionSchema>): Array<[number, number]> {
  const open = minutesOf(restriction.from);
  const close = minutesOf(restriction.to);
  const length = close > open ? close - open : close + 24 * 60 - open;
  return restriction.days.flatMap((day): Array<[number, number]> => {
    const start = WEEKDAYS.indexOf(day) * 24 * 60 + open;
    const end = start + length;
    return end <= MINUTES_PER_WEEK ? [[start, end]] : [[start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]];
  });
}

const LayerSchema = z
  .object({
    name: Id,
    /** Responder ids in rotation order; one may appear more than once. */
    responders: z.array(Id).min(1, 'a layer rotates at least one responder').max(ONCALL_LIMITS.respondersPerLayer),
    start: LocalDate,
    handoff: Clock,
    shift: z.object({ every: z.number().int().min(1), unit: z.enum(['hours', 'days', 'weeks']) }).strict(),
    restrictions: z.array(RestrictionSchema).min(1, 'leave restrictions out for a layer on call around the clock').max(ONCALL_LIMITS.restrictionsPerLayer).optional(),
  })
  .strict()
  .superRefine((layer, ctx) => {
    const max = MAX_SHIFT_EVERY[layer.shift.unit];
    if (layer.shift.every > max) ctx.addIssue({ code: 'custom', path: ['shift', 'every'], message: `at most ${max} ${layer.shift.unit}` });
    const windows = (layer.restrictions ?? []).flatMap((restriction, index) => weeklyMinutes(restriction).map((window) => ({ window, index })));
    windows.sort((a, b) => a.window[0] - b.window[0]);
    const reported = new Set<number>();
    for (let i = 1; i < windows.length; i++) {
      const earlier = windows.slice(0, i).find((other) => other.window[1] > windows[i].window[0]);
      if (earlier && !reported.has(windows[i].index)) {
        reported.add(windows[i].index);
        ctx.addIssue({
          code: 'custom',
          path: ['restrictions', Math.max(earlier.index, windows[i].index)],
          message: earlier.index === windows[i].index ? 'its windows overlap each other' : `overlaps restriction ${Math.min(earlier.index, windows[i].index)}`,
        });
      }
    }
  }) satisfies z.ZodType<Layer>;

export const ScheduleSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(100),
    timeZone: TimeZone,
    layers: z.array(LayerSchema).min(1, 'a schedule has at least one layer').max(ONCALL_LIMITS.layers),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    const seen = new Set<string>();
    schedule.layers.forEach((layer, index) => {
      if (seen.has(layer.name)) ctx.addIssue({ code: 'custom', path: ['layers', index, 'name'], message: `"${layer.name}" is used twice` });
      seen.add(layer.name);
    });
  }) satisfies z.ZodType<Schedule>;

export const RespondersFileSchema = z.array(ResponderSchema);
export const SchedulesFileSchema = z.array(ScheduleSchema);
export type RespondersFile = z.input<typeof RespondersFileSchema>;
export type SchedulesFile = z.input<typeof SchedulesFileSchema>;

/** Identity helpers that give authors type checking and completion in `runbooks/`. */
export const defineResponders = (responders: RespondersFile): RespondersFile => responders;
export const defineSchedules = (schedules: SchedulesFile): SchedulesFile => schedules;
