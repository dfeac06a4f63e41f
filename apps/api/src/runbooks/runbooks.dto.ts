import { createApiDto } from '../http/api-dto';
import { z } from 'zod';
import { ExecutionPageSchema, ListExecutionsQuerySchema } from '../../../../core/schemas/executions-api';

export const LaunchRunbookSchema = z
  .object({
    input: z.unknown().describe("The runbook's input; its JSON Schema is in GET /v1/runbooks."),
    incidentId: z.string().regex(/^inc-[0-9a-f]{12}(-[1-9][0-9]{0,5})?$/, 'an incident id (inc-…)').optional(),
    dryRun: z.boolean().default(false).describe('Plan only: every step is recorded, no vendor is called.'),
  })
  .strict();
export class LaunchRunbookDto extends createApiDto(LaunchRunbookSchema) {}

export const ApproveSchema = z.object({ comment: z.string().min(1).max(2000).optional() }).strict();
export class ApproveDto extends createApiDto(ApproveSchema) {}

export const RejectSchema = z.object({ comment: z.string().min(1, 'say why').max(2000) }).strict();
export class RejectDto extends createApiDto(RejectSchema) {}

export const ExecutionCreatedSchema = z.object({ id: z.string(), dryRun: z.boolean() });
export class ExecutionCreatedDto extends createApiDto(ExecutionCreatedSchema) {}

export class ListExecutionsQueryDto extends createApiDto(ListExecutionsQuerySchema) {}
export class ExecutionPageDto extends createApiDto(ExecutionPageSchema) {}
