import { z } from 'zod';
import { StepInputBase } from './common';
import { ComponentStatusSchema, StatusPageIncidentStatusSchema } from './statuses';

export { ComponentStatusSchema, StatusPageIncidentStatusSchema, type ComponentStatus, type StatusPageIncidentStatus } from './statuses';

export const OpenStatusIncidentInputSchema = StepInputBase.extend({
  incidentId: z.string().min(1),
  title: z.string().min(1).max(200),
  status: StatusPageIncidentStatusSchema.default('investigating'),
  message: z.string().min(1).max(10_000),
  /** Components affected, by name, with the status to show for each. */
  components: z.record(z.string().min(1), ComponentStatusSchema).default({}),
});
export type OpenStatusIncidentInput = z.input<typeof OpenStatusIncidentInputSchema>;

export const StatusIncidentSchema = z.object({ id: z.string(), url: z.string().optional(), created: z.boolean() });
export type StatusIncident = z.infer<typeof StatusIncidentSchema>;

export const UpdateStatusIncidentInputSchema = StepInputBase.extend({
  statusIncidentId: z.string().min(1),
  status: StatusPageIncidentStatusSchema,
  message: z.string().min(1).max(10_000),
  components: z.record(z.string().min(1), ComponentStatusSchema).default({}),
});
export type UpdateStatusIncidentInput = z.input<typeof UpdateStatusIncidentInputSchema>;

export const SetComponentStatusInputSchema = StepInputBase.extend({
  component: z.string().min(1),
  status: ComponentStatusSchema,
});
export type SetComponentStatusInput = z.input<typeof SetComponentStatusInputSchema>;



/** One post on a status-page incident, as the public sees it. */
export const StatusPageUpdateSchema = z.object({
  at: z.string(),
  status: StatusPageIncidentStatusSchema,
  message: z.string(),
});
export type StatusPageUpdate = z.infer<typeof StatusPageUpdateSchema>;

/** An incident on Firebreak's own status page (the local adapter). */
export const StatusPageIncidentSchema = z.object({
  id: z.string(),
  /** The Firebreak incident it reports on. */
  incidentId: z.string(),
  title: z.string(),
  status: StatusPageIncidentStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().optional(),
  /** Components this incident affects, with the status it last gave each. */
  components: z.record(z.string(), ComponentStatusSchema),
  /** Newest first. */
  updates: z.array(StatusPageUpdateSchema),
});
export type StatusPageIncident = z.infer<typeof StatusPageIncidentSchema>;

export const StatusPageComponentSchema = z.object({ name: z.string(), status: ComponentStatusSchema, updatedAt: z.string() });
export type StatusPageComponent = z.infer<typeof StatusPageComponentSchema>;

/** What `GET /status.json` returns, and what `GET /status` renders. */
export const StatusPageSnapshotSchema = z.object({
  /** The worst component status (operational when all are, or none are known). */
  overall: ComponentStatusSchema,
  updatedAt: z.string().nullable(),
  /** By name. */
  components: z.array(StatusPageComponentSchema),
  /** Unresolved incidents, newest first. */
  activeIncidents: z.array(StatusPageIncidentSchema),
  /** Recently resolved incidents, newest first. */
  resolvedIncidents: z.array(StatusPageIncidentSchema),
});
export type StatusPageSnapshot = z.infer<typeof StatusPageSnapshotSchema>;

// Ordered in a module without zod, which the status page workflow imports directly.
export { COMPONENT_STATUS_ORDER, worstComponentStatus } from './component-status';
