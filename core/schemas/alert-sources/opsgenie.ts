/**
 * Opsgenie Alert API v2 (https://docs.opsgenie.com/docs/alert-api): create an alert, and
 * close it by its alias, so a script or tool that already talks to Opsgenie can talk to
 * Firebreak. What is pure lives here: the request schemas and the alerts they become.
 */
import { z } from 'zod';
import type { Alert } from '../../model/alert';
import { ALERT_LIMITS, boundAlert } from '../../model/alert-bounds';
import type { Severity } from '../../model/incident-model';
import { ownValue } from '../../model/own';
import { cleanLine, shortenKey } from '../../model/text';
import { nonEmptyField, oneOfField, stringField } from './fields';
import { detailsAsText } from './fields';

export const OPSGENIE_SOURCE = 'opsgenie';

export const OPSGENIE_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type OpsgeniePriority = (typeof OPSGENIE_PRIORITIES)[number];

/** Opsgenie's five priorities on Firebreak's SEV scale: P4 and P5 are both minor. */
export const OPSGENIE_PRIORITY_SEVERITY = {
  P1: 'SEV1',
  P2: 'SEV2',
  P3: 'SEV3',
  P4: 'SEV4',
  P5: 'SEV4',
} as const satisfies Record<OpsgeniePriority, Severity>;

/** The only way Firebreak identifies an Opsgenie alert: it hands out no alert ids. */
export const OPSGENIE_IDENTIFIER_TYPES = ['alias'] as const;

/** A team, user, escalation or schedule, by id, name or username. */
export const OpsgenieResponderSchema = z.object({
  type: stringField('responders[].type').optional(),
  id: stringField('responders[].id').optional(),
  name: stringField('responders[].name').optional(),
  username: stringField('responders[].username').optional(),
});

/**
 * The body of Opsgenie's create-alert request (`POST /v2/alerts`). Opsgenie's lengths
 * (message 130, alias 512, description 15,000 characters) are not refused here: longer
 * values are cut to the alert limits with a note. Unknown fields are allowed.
 */
export const OpsgenieCreateAlertSchema = z.object(
  {
    message: nonEmptyField('message'),
    alias: nonEmptyField('alias').optional(),
    description: stringField('description').optional(),
    responders: z.array(OpsgenieResponderSchema, { error: 'responders must be an array of { type, id | name | username }' }).optional(),
    visibleTo: z.array(OpsgenieResponderSchema, { error: 'visibleTo must be an array of { type, id | name | username }' }).optional(),
    actions: z.array(stringField('actions[]'), { error: 'actions must be an array of strings' }).optional(),
    tags: z.array(stringField('tags[]'), { error: 'tags must be an array of strings' }).optional(),
    /** Kept as sent: a record schema would copy it, and lose a `__proto__` key. */
    details: z
      .unknown()
      .refine((value) => typeof value === 'object' && value !== null && !Array.isArray(value), { error: 'details must be an object' })
      .meta({ type: 'object', additionalProperties: true, description: 'Custom properties: each becomes an annotation.' })
      .optional(),
    entity: stringField('entity').optional(),
    source: stringField('source').optional(),
    priority: oneOfField('priority', OPSGENIE_PRIORITIES).optional(),
    user: stringField('user').optional(),
    note: stringField('note').optional(),
  },
  { error: 'the body must be an Opsgenie alert (a JSON object)' },
);
export type OpsgenieCreateAlert = z.infer<typeof OpsgenieCreateAlertSchema>;

/** The body of Opsgenie's close request (`POST /v2/alerts/:identifier/close`): all optional. */
export const OpsgenieCloseAlertSchema = z.object(
  {
    user: stringField('user').optional(),
    source: stringField('source').optional(),
    note: stringField('note').optional(),
  },
  { error: 'the body must be a JSON object' },
);
export type OpsgenieCloseAlert = z.infer<typeof OpsgenieCloseAlertSchema>;

/** `?identifierType=`: only `alias`; absent reads as alias too, since Firebreak has no alert ids. */
export const OpsgenieCloseQuerySchema = z.object({
  identifierType: z
    .enum(OPSGENIE_IDENTIFIER_TYPES, {
      error: 'identifierType must be "alias": Firebreak knows Opsgenie alerts by alias only (it hands out no alert ids)',
    })
    .optional(),
});

/**
 * The dedup key of an Opsgenie alias (without one, of the message, so the same message
 * lands on the same incident): namespaced, and already within the alert limits so a close
 * finds what its alert opened.
 */
export function opsgenieDedupKey(alias: string): string {
  return shortenKey(cleanLine(`${OPSGENIE_SOURCE}:${alias}`), ALERT_LIMITS.dedupKeyBytes);
}

/** The alias a created alert is known by: its `alias`, else its message. */
export function opsgenieAlias(body: Pick<OpsgenieCreateAlert, 'alias' | 'message'>): string {
  return body.alias ?? body.message;
}

/**
 * A create request as a firing {@link Alert} within the alert limits: entity, source,
 * priority and tags are labels (they route), description, details, responders, actions,
 * note and user annotations.
 */
export function normalizeOpsgenieAlert(body: OpsgenieCreateAlert): Alert {
  const labels = Object.fromEntries(
    (
      [
        ['entity', body.entity],
        ['source', body.source],
        ['priority', body.priority],
        ['tags', body.tags?.join(',')],
      ] as Array<[string, string | undefined]>
    ).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  const details = Object.fromEntries(detailsAsText(body.details, 'details'));
  const annotations: Record<string, string> = {
    ...details,
    ...text('description', body.description),
    ...text('responders', body.responders?.map(responderName).join(', ')),
    ...text('actions', body.actions?.join(', ')),
    ...text('note', body.note),
    ...text('user', body.user),
  };
  const service = ownValue(details, 'service')?.trim();
  return boundAlert({
    source: OPSGENIE_SOURCE,
    status: 'firing',
    summary: body.message,
    ...(body.priority ? { severity: OPSGENIE_PRIORITY_SEVERITY[body.priority] } : {}),
    dedupKey: opsgenieDedupKey(opsgenieAlias(body)),
    ...(service ? { service } : {}),
    labels,
    annotations,
  });
}

/** A close request as a resolved {@link Alert} of the alias. */
export function normalizeOpsgenieClose(alias: string, body: OpsgenieCloseAlert): Alert {
  return boundAlert({
    source: OPSGENIE_SOURCE,
    status: 'resolved',
    summary: `closed by an Opsgenie close request for ${alias}`,
    dedupKey: opsgenieDedupKey(alias),
    labels: {},
    annotations: { ...text('note', body.note), ...text('user', body.user), ...text('source', body.source) },
  });
}

function text(name: string, value: string | undefined): Record<string, string> {
  return value ? { [name]: value } : {};
}

function responderName(responder: z.infer<typeof OpsgenieResponderSchema>): string {
  const who = responder.name ?? responder.username ?? responder.id ?? '?';
  return responder.type ? `${responder.type}:${who}` : who;
}
