import { z } from 'zod';
import { StepInputBase, stepText } from './common';

export const PageActionSchema = z.enum(['trigger', 'acknowledge', 'resolve']);

export const PageInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  action: PageActionSchema,
  /**
   * The incident's dedup key: the vendor keeps one page per key, so repeats never open a
   * second. Any length: a key longer than the vendor takes is fitted (prefix plus hash).
   */
  dedupKey: stepText(1),
  /** Plain text; a summary longer than the vendor takes is cut with an ellipsis. */
  summary: stepText(1),
  severity: z.enum(['critical', 'error', 'warning', 'info']).default('error'),
  /** Who is paged: escalation targets (user or schedule names). */
  targets: z.array(z.string().min(1)).default([]),
  /** Escalation level being paged, 1-based, when an escalation policy pages. */
  level: z.number().int().min(1).optional(),
  /**
   * Page through the built-in local pager instead of the configured provider: the fallback
   * when the provider refused a page for good. It is always available.
   */
  fallback: z.boolean().default(false),
});
export type PageInput = z.input<typeof PageInputSchema>;

export const PageResultSchema = z.object({ dedupKey: z.string(), delivered: z.boolean(), provider: z.string() });
export type PageResult = z.infer<typeof PageResultSchema>;
