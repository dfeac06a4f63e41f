import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { GenericAlertSchema } from '../../../../core/alert';

export class GenericAlertDto extends createZodDto(GenericAlertSchema) {}

export const AlertAcceptedSchema = z.object({
  incidentId: z.string().nullable().describe('The incident that recorded the alert; null when nothing was open to resolve.'),
  status: z.enum(['recorded', 'ignored']),
  receiptId: z.string().describe('Firebreak\'s id for this delivery, recorded with the alert.'),
  reason: z.string().optional(),
});
export type AlertAccepted = z.infer<typeof AlertAcceptedSchema>;
export class AlertAcceptedDto extends createZodDto(AlertAcceptedSchema) {}

export const AlertBatchAcceptedSchema = z.object({
  incidentId: z.string().nullable().describe('The first incident that recorded an alert of the delivery.'),
  incidentIds: z.array(z.string()).describe('Every incident that recorded an alert of the delivery.'),
  recorded: z.number().int(),
  ignored: z.number().int().describe('Resolved alerts with no open incident to resolve.'),
});
export type AlertBatchAccepted = z.infer<typeof AlertBatchAcceptedSchema>;
export class AlertBatchAcceptedDto extends createZodDto(AlertBatchAcceptedSchema) {}
