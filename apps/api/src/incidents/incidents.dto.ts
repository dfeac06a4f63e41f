import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { INCIDENT_STATUSES, SEVERITIES } from '../../../../core/incident-model';

export const ListIncidentsQuerySchema = z
  .object({
    status: z.enum(INCIDENT_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    service: z
      .string()
      .regex(/^[A-Za-z0-9._/ -]{1,200}$/, 'letters, digits, space and . _ / - only')
      .optional(),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    pageToken: z.string().regex(/^[A-Za-z0-9+/=_-]{1,4096}$/, 'a nextPageToken from an earlier page').optional(),
  })
  .strict();
export class ListIncidentsQueryDto extends createZodDto(ListIncidentsQuerySchema) {}

export const IncidentSummarySchema = z.object({
  id: z.string(),
  title: z.string().optional(),
  status: z.enum(INCIDENT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  service: z.string().optional(),
  openedAt: z.string(),
  running: z.boolean(),
});
export type IncidentSummary = z.infer<typeof IncidentSummarySchema>;

export const IncidentPageSchema = z.object({
  incidents: z.array(IncidentSummarySchema),
  nextPageToken: z.string().nullable(),
});
export type IncidentPage = z.infer<typeof IncidentPageSchema>;
export class IncidentPageDto extends createZodDto(IncidentPageSchema) {}
