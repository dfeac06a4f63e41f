import { createApiDto } from '../http/api-dto';
import { z } from 'zod';
import { INCIDENT_STATUSES, SEVERITIES } from '../../../../core/model/incident-model';
import { IncidentActionSchema } from '../../../../core/schemas/incident-actions';
import { LEVELS } from '../../../../core/model/priority';
import { freeText, plainLine } from '../../../../core/schemas/text-schemas';

export const INCIDENT_SORTS = ['opened', 'duration'] as const;

const attributeValue = z.string().regex(/^[A-Za-z0-9._/ @:-]{1,200}$/, 'letters, digits, space and . _ / @ : - only');

export const ListIncidentsQuerySchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    service: attributeValue.optional(),
    commander: attributeValue.optional(),
    openedAfter: z.iso.datetime({ offset: true }).optional(),
    openedBefore: z.iso.datetime({ offset: true }).optional(),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    pageToken: z.string().regex(/^[A-Za-z0-9_-]{1,4096}$/, 'a nextPageToken from an earlier page').optional(),
    q: plainLine(500)
      .optional()
      .describe('Full-text search over titles, alert summaries and label values, notes and postmortems (web-search syntax: words, "a phrase", -word, or). Answered from the record.'),
    archived: z
      .enum(['true', 'false'])
      .optional()
      .describe('`true`: list from the record, which keeps every incident, also those past Temporal retention.'),
    sort: z.enum(INCIDENT_SORTS).optional().describe('`opened` (open time) or `duration` (open to resolve; unresolved last). Answered from the record.'),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();

/** Whether a list asks for what only the record answers (search, archived incidents, a sort). */
export const listsFromRecord = (query: Pick<ListIncidentsQuery, 'q' | 'archived' | 'sort'>) =>
  query.q !== undefined || query.archived === 'true' || query.sort !== undefined;
export type ListIncidentsQuery = z.infer<typeof ListIncidentsQuerySchema>;
export class ListIncidentsQueryDto extends createApiDto(ListIncidentsQuerySchema) {}

export const IncidentSummarySchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  service: z.string().optional(),
  commander: z.string().optional(),
  openedAt: z.string(),
  running: z.boolean(),
  /** From the record: when it resolved and how long that took (seconds). */
  resolvedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const IncidentPageSchema = z.object({
  incidents: z.array(IncidentSummarySchema),
  nextPageToken: z.string().nullable(),
});
export type IncidentPage = z.infer<typeof IncidentPageSchema>;
export class IncidentPageDto extends createApiDto(IncidentPageSchema) {}

export const DeclareIncidentSchema = z
  .object({
    // Titles and names are one line: no control, bidirectional or line-separator characters.
    title: plainLine(200),
    severity: z.enum(SEVERITIES),
    service: plainLine(200).optional(),
    commander: plainLine(200).optional(),
    summary: freeText(16_384).optional(),
    impact: z.enum(LEVELS).optional(),
    urgency: z.enum(LEVELS).optional(),
  })
  .strict();
export type DeclareIncident = z.infer<typeof DeclareIncidentSchema>;
export class DeclareIncidentDto extends createApiDto(DeclareIncidentSchema) {}

export const IncidentCreatedSchema = z.object({ id: z.string() });
export class IncidentCreatedDto extends createApiDto(IncidentCreatedSchema) {}

/** The action body is a union, which a DTO class cannot express: documented from its JSON Schema. */
export const INCIDENT_ACTION_OPENAPI = z.toJSONSchema(IncidentActionSchema, { target: 'openapi-3.0', io: 'input' });

export const TimelineQuerySchema = z
  .object({ after: z.coerce.number().int().min(-1).default(-1).describe('Only entries after this index.') })
  .strict();
export class TimelineQueryDto extends createApiDto(TimelineQuerySchema) {}

export const SimilarQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
export class SimilarQueryDto extends createApiDto(SimilarQuerySchema) {}

export const SimilarIncidentsSchema = z.object({
  incidentId: z.string(),
  service: z.string().optional(),
  alertnames: z.array(z.string()),
  incidents: z.array(
    IncidentSummarySchema.extend({
      sameService: z.boolean(),
      sharedAlerts: z.array(z.string()),
      runbooks: z.array(z.object({ runbookId: z.string(), executionId: z.string(), status: z.string(), durationSeconds: z.number().optional() })),
    }),
  ),
});
export class SimilarIncidentsDto extends createApiDto(SimilarIncidentsSchema) {}
