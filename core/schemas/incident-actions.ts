import { z } from 'zod';
import { ComponentStatusSchema, StatusPageIncidentStatusSchema } from './capabilities/statuses';
import { SEVERITIES } from '../model/incident-model';
import { hasPublicText, STATUS_PAGE_BOUNDS } from '../model/status-page-bounds';
import { freeText, plainLine } from './text-schemas';

export const INCIDENT_ROLES = ['commander', 'communications', 'scribe', 'investigator'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/** A note or reason: free text (tabs and newlines allowed), at most 16 KiB. */
export const NOTE_MAX_BYTES = 16_384;
/** A person or key named as assignee or owner. */
export const NAME_MAX_BYTES = 200;
/** An action item's title. */
export const ACTION_ITEM_TITLE_MAX_BYTES = 512;

const note = freeText(NOTE_MAX_BYTES);
/** Names and titles are one line with no control or bidirectional characters. */
const name = plainLine(NAME_MAX_BYTES);

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
      assignee: name,
      /** Investigators are many: `remove` takes one off; other roles are replaced by assigning. */
      remove: z.boolean().default(false),
    })
    .strict(),
  z.object({ action: z.literal('add-note'), text: note }).strict(),
  z
    .object({
      action: z.literal('add-action-item'),
      title: plainLine(ACTION_ITEM_TITLE_MAX_BYTES),
      owner: name.optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('post-status-update'),
      /** Public text, written for customers; the status page shows its first 2,000 bytes. */
      message: freeText(NOTE_MAX_BYTES),
      /**
       * The public title of the status incident, written for customers (used when the first
       * update opens it). Default: a neutral title from the service, never the internal title.
       */
      title: plainLine(STATUS_PAGE_BOUNDS.titleBytes).refine(hasPublicText, { message: 'must contain printable text' }).optional(),
      status: StatusPageIncidentStatusSchema.default('investigating'),
      components: z
        .record(plainLine(100), ComponentStatusSchema)
        .refine((components) => Object.keys(components).length <= 20, { message: 'at most 20 components per update' })
        .default({}),
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
  /**
   * An acknowledgement from a notification (a signed link, or an SMS reply): the person
   * must have been notified for this incident, and it must not have been acknowledged
   * since `issuedAt` (the link's issue time; for an SMS reply, the person's last SMS).
   */
  fromNotification?: { responder: string; channel: 'link' | 'sms'; issuedAt?: number };
}
