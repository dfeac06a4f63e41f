import { z } from 'zod';
import { StepInputBase } from './common';

export const PageActionSchema = z.enum(['trigger', 'acknowledge', 'resolve']);

export const PageInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  action: PageActionSchema,
  /** The incident's dedup key: the vendor keeps one page per key, so repeats never open a second. */
  dedupKey: z.string().min(1).max(255),
  summary: z.string().min(1).max(1024),
  severity: z.enum(['critical', 'error', 'warning', 'info']).default('error'),
  /** Who is paged: escalation targets (user or schedule names). */
  targets: z.array(z.string().min(1)).default([]),
  /** Escalation level being paged, 1-based, when an escalation policy pages. */
  level: z.number().int().min(1).optional(),
});
export type PageInput = z.input<typeof PageInputSchema>;

export const PageResultSchema = z.object({ dedupKey: z.string(), delivered: z.boolean(), provider: z.string() });
export type PageResult = z.infer<typeof PageResultSchema>;
