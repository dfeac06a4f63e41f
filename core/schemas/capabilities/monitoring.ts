import { z } from 'zod';

/**
 * What an alarm says now: `OK`, `ALARM` (its condition holds), or `INSUFFICIENT_DATA` (too
 * little data to judge, e.g. a metric that stopped reporting). CloudWatch's own three states.
 */
export const AlarmStateSchema = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
export type AlarmState = z.infer<typeof AlarmStateSchema>;

/** The most alarms one `listAlarms` answers. */
export const ALARMS_MAX = 100;

/** Alarms whose name starts with this: CloudWatch's `AlarmNamePrefix` (1 to 255 characters). */
export const AlarmNamePrefixSchema = z.string().min(1).max(255);

/**
 * Alarms that carry every one of these tags (key → value): at most 10, keys of 1 to 128
 * characters and values of at most 256, as AWS tags are.
 */
export const AlarmTagsSchema = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((tags) => Object.keys(tags).length >= 1 && Object.keys(tags).length <= 10, 'must hold 1 to 10 tags');

export const ListAlarmsInputSchema = z
  .object({
    prefix: AlarmNamePrefixSchema.optional(),
    tags: AlarmTagsSchema.optional(),
    /** At most this many alarms, those in ALARM first. @default 100 */
    limit: z.number().int().min(1).max(ALARMS_MAX).default(ALARMS_MAX),
  })
  .refine((input) => input.prefix !== undefined || input.tags !== undefined, {
    message: 'give a prefix or tags: every alarm of the account says nothing about one service',
    path: ['prefix'],
  });
export type ListAlarmsInput = z.input<typeof ListAlarmsInputSchema>;

export const AlarmSchema = z.object({
  name: z.string(),
  state: AlarmStateSchema,
  /** Why it is in its state, in the monitoring system's words (cut to 256 characters). */
  reason: z.string().optional(),
  /** When its state last changed (ISO-8601). */
  updatedAt: z.string().optional(),
  /** `metric`: on one metric or expression; `composite`: a rule over other alarms. */
  kind: z.enum(['metric', 'composite']),
  namespace: z.string().optional(),
  metric: z.string().optional(),
});
export type Alarm = z.infer<typeof AlarmSchema>;

export const AlarmListSchema = z.object({
  /**
   * Who answered: `cloudwatch`; `local` (no monitoring system configured: it knows no
   * alarms); `dry-run` (a placeholder, nothing was read).
   */
  provider: z.enum(['cloudwatch', 'local', 'dry-run']),
  /** The matching alarms, those in ALARM first, then INSUFFICIENT_DATA, then OK; by name within each. */
  alarms: z.array(AlarmSchema),
  /** More alarms may match than were answered: past `limit`, or past the adapter's own bound on what it reads. */
  truncated: z.boolean(),
});
export type AlarmList = z.infer<typeof AlarmListSchema>;
