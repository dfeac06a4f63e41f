import { z } from 'zod';
import { ComponentStatusSchema, StatusPageIncidentStatusSchema } from './capabilities/statuses';
import { SEVERITIES } from './incident-model';

export const INCIDENT_ROLES = ['commander', 'communications', 'scribe', 'investigator'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

const note = z.string().min(1).max(10_000);

/**
 * The body of `POST /v1/incidents/:id/actions`: `{ "action": NAME, ...params }`. The same
 * schema checks the command again inside the workflow's update validator.
 */
export const IncidentActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge'), note: note.optional() }).strict(),
  z.object({ action: z.literal('investigate'), note: note.optional() }).strict(),
  z.object({ action: z.literal('escalate'), reason: note.optional() }).strict(),
  z.object({ action: z.literal('set-severity'), severity: z.enum(SEVERITIES), reason: note.optional() }).strict(),
  z
    .object({
      action: z.literal('assign-role'),
      role: z.enum(INCIDENT_ROLES),
      assignee: z.string().min(1).max(200),
      /** Investigators are many: `remove` takes one off; other roles are replaced by assigning. */
      remove: z.boolean().default(false),
    })
    .strict(),
  z.object({ action: z.literal('add-note'), text: note }).strict(),
  z
    .object({
      action: z.literal('add-action-item'),
      title: z.string().min(1).max(255),
      owner: z.string().min(1).max(200).optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('post-status-update'),
      message: z.string().min(1).max(10_000),
      status: StatusPageIncidentStatusSchema.default('investigating'),
      components: z.record(z.string().min(1), ComponentStatusSchema).default({}),
    })
    .strict(),
  z.object({ action: z.literal('mitigate'), note: note.optional() }).strict(),
  z.object({ action: z.literal('resolve'), note: note.optional() }).strict(),
  z.object({ action: z.literal('close'), note: note.optional() }).strict(),
  z.object({ action: z.literal('reopen'), reason: note }).strict(),
]);
export type IncidentAction = z.infer<typeof IncidentActionSchema>;
export type IncidentActionName = IncidentAction['action'];
export const INCIDENT_ACTIONS = IncidentActionSchema.options.map((option) => option.shape.action.value);

/** A command as the workflow receives it: who asked, and what. */
export interface IncidentCommand {
  actor: string;
  action: IncidentAction;
}
