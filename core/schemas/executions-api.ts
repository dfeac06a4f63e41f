/**
 * `GET /v1/executions`: runbook executions listed through Temporal visibility, with their
 * filters and the answer's shape.
 */
import { z } from 'zod';
import { ExecutionStatus } from '../model/execution';
import { ROLES } from './config';

export const EXECUTION_STATUSES = Object.values(ExecutionStatus) as [ExecutionStatus, ...ExecutionStatus[]];

/** How many executions one page holds. */
export const EXECUTION_PAGE = { default: 50, max: 200 } as const;

export const ListExecutionsQuerySchema = z
  .object({
    runbook: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a runbook id: lowercase letters, digits and -')
      .optional()
      .describe('Only executions of this runbook.'),
    status: z.enum(EXECUTION_STATUSES).optional().describe('Only executions in this status.'),
    incidentId: z
      .string()
      .regex(/^inc-[0-9a-f]{12}(-[1-9][0-9]{0,5})?$/, 'an incident id (inc-…)')
      .optional()
      .describe('Only executions run for this incident.'),
    awaitingApproval: z
      .enum(['true', 'false'])
      .optional()
      .describe('`true`: only executions waiting for an approval (status `waiting-approval`); `false`: only the others.'),
    limit: z.coerce.number().int().min(1).max(EXECUTION_PAGE.max).default(EXECUTION_PAGE.default).describe('Executions per page.'),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/, 'a nextCursor from an earlier page').optional().describe('The next page: `nextCursor` of the previous one.'),
  })
  .strict();
export type ListExecutionsQuery = z.infer<typeof ListExecutionsQuerySchema>;

export const ListedApprovalSchema = z.object({
  /** The approval's prompt, cut to 200 characters. */
  prompt: z.string(),
  approvers: z.array(z.enum(ROLES)),
  requestedAt: z.string(),
  expiresAt: z.string(),
});

export const ExecutionListItemSchema = z.object({
  id: z.string(),
  runbookId: z.string(),
  title: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  dryRun: z.boolean().optional(),
  incidentId: z.string().optional(),
  launchedBy: z.string().optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  /** What waits for a decision, while the execution is `waiting-approval`; null otherwise. */
  pendingApproval: ListedApprovalSchema.nullable(),
});
export type ExecutionListItem = z.infer<typeof ExecutionListItemSchema>;

export const ExecutionPageSchema = z.object({
  executions: z.array(ExecutionListItemSchema),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
});
export type ExecutionPage = z.infer<typeof ExecutionPageSchema>;
