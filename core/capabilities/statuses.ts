/**
 * The status values a status page knows, apart from the capability's step schemas: a
 * runbook or a command schema that needs only these does not evaluate the rest in every
 * workflow that loads it.
 */
import { z } from 'zod';

export const StatusPageIncidentStatusSchema = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type StatusPageIncidentStatus = z.infer<typeof StatusPageIncidentStatusSchema>;

export const ComponentStatusSchema = z.enum([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
]);
export type ComponentStatus = z.infer<typeof ComponentStatusSchema>;
