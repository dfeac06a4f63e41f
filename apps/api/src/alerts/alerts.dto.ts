import { z } from 'zod';
import { GenericAlertSchema } from '../../../../core/schemas/alert';
import { createApiDto } from '../http/api-dto';

export class GenericAlertDto extends createApiDto(GenericAlertSchema) {}

export const AlertAcceptedSchema = z.object({
  incidentId: z
    .string()
    .nullable()
    .describe('The incident that recorded the alert; null when queued, or when nothing was open to resolve.'),
  status: z
    .enum(['recorded', 'queued', 'ignored'])
    .describe(
      '`recorded`: on its incident. `queued`: durably queued during an alert storm; it reaches its incident within moments. `ignored`: a resolved alert with no open incident.',
    ),
  receiptId: z.string().describe('Firebreak\'s id for this delivery, recorded with the alert.'),
  reason: z.string().optional(),
});
export type AlertAccepted = z.infer<typeof AlertAcceptedSchema>;
export class AlertAcceptedDto extends createApiDto(AlertAcceptedSchema) {}

export const AlertBatchAcceptedSchema = z.object({
  incidentId: z.string().nullable().describe('The first incident that recorded an alert of the delivery.'),
  incidentIds: z.array(z.string()).describe('Every incident that recorded an alert of the delivery.'),
  recorded: z.number().int(),
  queued: z.number().int().describe('Alerts durably queued during an alert storm; they reach their incidents within moments.'),
  ignored: z.number().int().describe('Resolved alerts with no open incident to resolve.'),
});
export type AlertBatchAccepted = z.infer<typeof AlertBatchAcceptedSchema>;
export class AlertBatchAcceptedDto extends createApiDto(AlertBatchAcceptedSchema) {}
