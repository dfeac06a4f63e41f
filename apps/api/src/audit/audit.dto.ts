import { z } from 'zod';
import { AUDIT_FIELD_MAX, AUDIT_OUTCOMES, AUDIT_PAGE_MAX, AUDIT_VIAS, decodeAuditCursor } from '../../../../record/audit';
import { createApiDto } from '../http/api-dto';

/** Entries a JSON page answers when `limit` is not given. */
export const AUDIT_DEFAULT_LIMIT = 100;
/** Entries one export streams at most. */
export const AUDIT_EXPORT_MAX = 1_000_000;

const time = (what: string) => z.iso.datetime({ offset: true }).optional().describe(`${what}, ISO-8601 with an offset.`);
const name = (what: string) => z.string().min(1).max(AUDIT_FIELD_MAX).optional().describe(what);

export const AuditQuerySchema = z
  .object({
    since: time('Entries at or after this time'),
    until: time('Entries before this time'),
    principal: name("The key's name or the signed-in person, exactly."),
    target: name('What the request acted on (an incident id, an execution id, a runbook, a schedule), exactly.'),
    outcome: z.enum(AUDIT_OUTCOMES).optional().describe('allowed, refused or failed.'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIT_EXPORT_MAX)
      .optional()
      .describe(`Entries per page (default ${AUDIT_DEFAULT_LIMIT}, at most ${AUDIT_PAGE_MAX}); for an export, entries in all (default every one).`),
    cursor: z
      .string()
      .max(200)
      .refine((value) => decodeAuditCursor(value) !== undefined, 'must be a nextCursor this route answered')
      .optional()
      .describe('The `nextCursor` of the previous page.'),
    format: z.enum(['json', 'jsonl']).optional().describe('`jsonl` streams JSON lines (as `Accept: application/x-ndjson` does), for export.'),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.since && query.until && Date.parse(query.since) >= Date.parse(query.until)) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'must be before `until`' });
    }
  });
export class AuditQueryDto extends createApiDto(AuditQuerySchema) {}

export const AuditRecordSchema = z.object({
  id: z.string().describe('Grows with each entry written; orders entries of the same instant.'),
  entryId: z.string().describe('The UUID given as the request was answered.'),
  at: z.string(),
  principal: z.string().optional(),
  role: z.string().optional(),
  via: z.enum(AUDIT_VIAS),
  method: z.string(),
  route: z.string().optional().describe('The route pattern, e.g. /v1/incidents/:id/actions.'),
  target: z.string().optional(),
  action: z.string().optional(),
  outcome: z.enum(AUDIT_OUTCOMES),
  status: z.number(),
  requestId: z.string().optional(),
  sourceIp: z.string().optional(),
  details: z.record(z.string(), z.string()).optional(),
});

export const AuditPageSchema = z.object({
  entries: z.array(AuditRecordSchema).describe('Newest first.'),
  nextCursor: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last.'),
});
export class AuditPageDto extends createApiDto(AuditPageSchema) {}
