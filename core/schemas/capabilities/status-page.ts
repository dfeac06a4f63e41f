import { z } from 'zod';
import { STATUS_PAGE_BOUNDS, fitStatusText, hasPublicText } from '../../model/status-page-bounds';
import { StepInputBase } from './common';
import { ComponentStatusSchema, StatusPageIncidentStatusSchema } from './statuses';

export { ComponentStatusSchema, StatusPageIncidentStatusSchema } from './statuses';
export type { ComponentStatus, StatusPageIncidentStatus } from '../../model/capabilities/statuses';

/** Public text: any length is taken and fitted (cut with an ellipsis), never refused for length. */
const fitted = (maxBytes: number) =>
  z
    .string()
    .min(1)
    .transform((text) => fitStatusText(text, maxBytes))
    .refine((text) => text.length > 0, 'must contain printable text');

/**
 * A component's name: the page counts its length in UTF-16 code units, as JavaScript does,
 * so the schema counts the same way (zod's `max` counts code points).
 */
export const ComponentNameSchema = z
  .string()
  .min(1)
  .refine((name) => name.length <= STATUS_PAGE_BOUNDS.componentNameLength, {
    message: `at most ${STATUS_PAGE_BOUNDS.componentNameLength} characters (UTF-16 code units)`,
  });

/**
 * The public title of a status incident, written for customers: it must keep printable text
 * once fitted (a title of blanks would show nothing, and the page refuses it).
 */
export const PublicTitleSchema = z
  .string()
  .min(1)
  .max(STATUS_PAGE_BOUNDS.titleBytes)
  .refine(hasPublicText, { message: 'must contain printable text' });

/** Components affected, by name, with the status to show for each (at most 20 per command). */
export const ComponentsSchema = z
  .record(ComponentNameSchema, ComponentStatusSchema)
  .refine((components) => Object.keys(components).length <= STATUS_PAGE_BOUNDS.componentsPerCommand, {
    message: `at most ${STATUS_PAGE_BOUNDS.componentsPerCommand} components per update`,
  });

export const OpenStatusIncidentInputSchema = StepInputBase.extend({
  /** The Firebreak incident it reports on: kept by the page, never shown publicly. */
  incidentId: z.string().min(1),
  /** The public title: written for customers, never the internal incident title. */
  title: fitted(STATUS_PAGE_BOUNDS.titleBytes),
  status: StatusPageIncidentStatusSchema.default('investigating'),
  message: fitted(STATUS_PAGE_BOUNDS.messageBytes),
  components: ComponentsSchema.default({}),
});
export type OpenStatusIncidentInput = z.input<typeof OpenStatusIncidentInputSchema>;

export const StatusIncidentSchema = z.object({ id: z.string(), url: z.string().optional(), created: z.boolean() });
export type StatusIncident = z.infer<typeof StatusIncidentSchema>;

export const UpdateStatusIncidentInputSchema = StepInputBase.extend({
  statusIncidentId: z.string().min(1),
  status: StatusPageIncidentStatusSchema,
  message: fitted(STATUS_PAGE_BOUNDS.messageBytes),
  components: ComponentsSchema.default({}),
});
export type UpdateStatusIncidentInput = z.input<typeof UpdateStatusIncidentInputSchema>;

export const SetComponentStatusInputSchema = StepInputBase.extend({
  component: ComponentNameSchema,
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

/**
 * An incident on Firebreak's own status page (the local adapter), as the public sees it: its
 * own public title and messages, and nothing internal (no Firebreak incident id).
 */
export const StatusPageIncidentSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: StatusPageIncidentStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().optional(),
  /** Components this incident affects, with the status it last gave each. */
  components: z.record(z.string(), ComponentStatusSchema),
  /** The newest updates, newest first. */
  updates: z.array(StatusPageUpdateSchema),
  /** Older updates posted but no longer kept (the page keeps a bounded number per incident). */
  earlierUpdates: z.number().int().min(0),
});
export type StatusPageIncident = z.infer<typeof StatusPageIncidentSchema>;

/** A status incident as the page's workflow keeps it: the public fields plus what only it needs. */
export type StatusPageIncidentRecord = Omit<StatusPageIncident, 'earlierUpdates'> & {
  /** The Firebreak incident it reports on (internal: never part of the public snapshot). */
  incidentId: string;
  /** Absent on records kept before updates were bounded. */
  earlierUpdates?: number;
};

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

/** Exactly the public fields of a snapshot: what the API serialises, whatever else a reader hands it. */
export function publicStatusPageSnapshot(snapshot: StatusPageSnapshot): StatusPageSnapshot {
  const incident = (item: StatusPageIncident): StatusPageIncident => ({
    id: item.id,
    title: item.title,
    status: item.status,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    ...(item.resolvedAt ? { resolvedAt: item.resolvedAt } : {}),
    components: { ...item.components },
    updates: item.updates.map(({ at, status, message }) => ({ at, status, message })),
    earlierUpdates: item.earlierUpdates ?? 0,
  });
  return {
    overall: snapshot.overall,
    updatedAt: snapshot.updatedAt,
    components: snapshot.components.map(({ name, status, updatedAt }) => ({ name, status, updatedAt })),
    activeIncidents: snapshot.activeIncidents.map(incident),
    resolvedIncidents: snapshot.resolvedIncidents.map(incident),
  };
}

// Ordered in a module without zod, which the status page workflow imports directly.
export { COMPONENT_STATUS_ORDER, worstComponentStatus } from '../../model/capabilities/component-status';
