/**
 * PagerDuty Events API v2 alert events (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/),
 * so anything that already pages through PagerDuty can send the same event to Firebreak.
 * What is pure lives here: the event schema and the alert it becomes. Authentication (the
 * `routing_key` is a Firebreak API key) and acknowledging or resolving incidents happen in
 * the API.
 */
import { z } from 'zod';
import { normalizeSeverity, type Alert, type AlertLink } from '../../model/alert';
import { ALERT_LIMITS, boundAlert } from '../../model/alert-bounds';
import { ownValue } from '../../model/own';
import { cleanLine, shortenKey } from '../../model/text';
import { detailsAsText, nonEmptyField, oneOfField, stringField } from './fields';

export const PAGERDUTY_SOURCE = 'pagerduty';

export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

/** PagerDuty's documented limit; a longer key is refused there, so a sender never relies on one. */
export const PAGERDUTY_DEDUP_KEY_MAX_CHARS = 255;

/**
 * ISO 8601 as PagerDuty reads it: its own example writes the offset without a colon
 * (`2015-07-17T08:42:58.315+0000`), which RFC 3339 does not allow.
 */
const PAGERDUTY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

const dedupKeyField = nonEmptyField('dedup_key').max(PAGERDUTY_DEDUP_KEY_MAX_CHARS, {
  error: `dedup_key must be at most ${PAGERDUTY_DEDUP_KEY_MAX_CHARS} characters`,
});

export const PagerDutyLinkSchema = z.object({
  href: nonEmptyField('links[].href'),
  text: stringField('links[].text').optional(),
});

export const PagerDutyImageSchema = z.object({
  src: nonEmptyField('images[].src'),
  href: stringField('images[].href').optional(),
  alt: stringField('images[].alt').optional(),
});

/** `payload` of a trigger event: PagerDuty's Common Event Format. */
export const PagerDutyPayloadSchema = z.object(
  {
    /** PagerDuty allows 1,024 characters; a longer one is cut, with a note, never refused. */
    summary: nonEmptyField('payload.summary'),
    source: nonEmptyField('payload.source'),
    severity: oneOfField('payload.severity', PAGERDUTY_SEVERITIES),
    timestamp: stringField('payload.timestamp')
      .regex(PAGERDUTY_TIME, { error: 'payload.timestamp must be an ISO 8601 date-time such as 2015-07-17T08:42:58.315+0000' })
      .optional(),
    component: stringField('payload.component').optional(),
    group: stringField('payload.group').optional(),
    class: stringField('payload.class').optional(),
    /** Free-form: an object's entries become annotations; anything else one annotation. */
    custom_details: z.unknown().optional(),
  },
  { error: (issue) => (issue.input === undefined ? 'payload is required for a trigger event' : 'payload must be an object') },
);

const eventFields = {
  /** A Firebreak API key (PagerDuty's are 32-character integration keys). */
  routing_key: nonEmptyField('routing_key'),
  links: z.array(PagerDutyLinkSchema, { error: 'links must be an array of { href, text? }' }).optional(),
  images: z.array(PagerDutyImageSchema, { error: 'images must be an array of { src, href?, alt? }' }).optional(),
  client: stringField('client').optional(),
  client_url: stringField('client_url').optional(),
};

export const PagerDutyTriggerSchema = z.object({
  ...eventFields,
  event_action: z.literal('trigger'),
  /** Optional: without one, Firebreak derives one from the event, as PagerDuty generates one. */
  dedup_key: dedupKeyField.optional(),
  payload: PagerDutyPayloadSchema,
});
export type PagerDutyTrigger = z.infer<typeof PagerDutyTriggerSchema>;

const followUpSchema = <A extends 'acknowledge' | 'resolve'>(action: A) =>
  z.object({
    ...eventFields,
    event_action: z.literal(action),
    dedup_key: z
      .string({ error: (issue) => (issue.input === undefined ? `dedup_key is required for an ${action} event` : 'dedup_key must be a non-empty string') })
      .min(1, { error: 'dedup_key must not be empty' })
      .max(PAGERDUTY_DEDUP_KEY_MAX_CHARS, { error: `dedup_key must be at most ${PAGERDUTY_DEDUP_KEY_MAX_CHARS} characters` }),
    /** PagerDuty ignores a follow-up's payload, and so does Firebreak. */
    payload: z.unknown().optional(),
  });

export const PagerDutyAcknowledgeSchema = followUpSchema('acknowledge');
export const PagerDutyResolveSchema = followUpSchema('resolve');

/** The body PagerDuty's Events API v2 takes at `/v2/enqueue`. Unknown fields are allowed. */
export const PagerDutyEventSchema = z.discriminatedUnion('event_action', [PagerDutyTriggerSchema, PagerDutyAcknowledgeSchema, PagerDutyResolveSchema], {
  error: (issue) => {
    if ((issue.code as string) === 'invalid_type') return 'the body must be a PagerDuty event (a JSON object)';
    return (issue.input as { event_action?: unknown } | undefined)?.event_action === undefined
      ? 'event_action is required'
      : `event_action must be one of ${PAGERDUTY_ACTIONS.join(', ')}`;
  },
});
export type PagerDutyEvent = z.infer<typeof PagerDutyEventSchema>;
export type PagerDutyFollowUp = Exclude<PagerDutyEvent, PagerDutyTrigger>;

/**
 * The dedup key of a PagerDuty `dedup_key`: namespaced like the generic source's, and
 * already within the alert limits, so looking an incident up by it finds what its alerts
 * opened.
 */
export function pagerDutyDedupKey(dedupKey: string): string {
  return shortenKey(cleanLine(`${PAGERDUTY_SOURCE}:${dedupKey}`), ALERT_LIMITS.dedupKeyBytes);
}

/** The event without its routing key: what a generated dedup key and a delivery id are derived from. */
export function withoutRoutingKey(event: PagerDutyEvent): Omit<PagerDutyEvent, 'routing_key'> {
  return Object.fromEntries(Object.entries(event).filter(([name]) => name !== 'routing_key')) as Omit<PagerDutyEvent, 'routing_key'>;
}

/**
 * A trigger event as a firing {@link Alert} within the alert limits: PD-CEF's source,
 * component, group and class are labels (they identify and route), `custom_details`
 * annotations, links and images links; what is over the limits is cut with a note.
 */
export function normalizePagerDutyTrigger(event: PagerDutyTrigger, dedupKey: string): Alert {
  const { payload } = event;
  const labels = Object.fromEntries(
    (
      [
        ['source', payload.source],
        ['severity', payload.severity],
        ['component', payload.component],
        ['group', payload.group],
        ['class', payload.class],
      ] as Array<[string, string | undefined]>
    ).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
  const details = Object.fromEntries(detailsAsText(payload.custom_details, 'custom_details'));
  const annotations: Record<string, string> = { ...details, ...(event.client ? { client: event.client } : {}) };
  const service = ownValue(details, 'service')?.trim();
  return boundAlert({
    source: PAGERDUTY_SOURCE,
    status: 'firing',
    summary: payload.summary,
    severity: normalizeSeverity(payload.severity),
    dedupKey,
    ...(service ? { service } : {}),
    labels,
    annotations,
    ...(payload.timestamp ? { startsAt: isoTime(payload.timestamp) } : {}),
    ...(event.client_url ? { externalUrl: event.client_url } : {}),
    links: pagerDutyLinks(event),
  });
}

/** A resolve event as a resolved {@link Alert} of its dedup key. */
export function normalizePagerDutyResolve(event: PagerDutyFollowUp, dedupKey: string): Alert {
  return boundAlert({
    source: PAGERDUTY_SOURCE,
    status: 'resolved',
    summary: `resolved by a PagerDuty resolve event for ${event.dedup_key}`,
    dedupKey,
    labels: {},
    annotations: event.client ? { client: event.client } : {},
    ...(event.client_url ? { externalUrl: event.client_url } : {}),
    links: pagerDutyLinks(event),
  });
}

/** `links[]` as links, `images[]` as images, `client_url` as the sending system. */
function pagerDutyLinks(event: Pick<PagerDutyEvent, 'links' | 'images' | 'client' | 'client_url'>): AlertLink[] {
  return [
    ...(event.links ?? []).map((link): AlertLink => ({ kind: 'link', url: link.href, ...(link.text ? { text: link.text } : {}) })),
    ...(event.images ?? []).map((image): AlertLink => ({ kind: 'image', url: image.src, ...(image.alt ? { text: image.alt } : {}) })),
    ...(event.client_url ? [{ kind: 'external', url: event.client_url, ...(event.client ? { text: event.client } : {}) } satisfies AlertLink] : []),
  ];
}

/** An ISO 8601 time as RFC 3339 in UTC; the text as sent if it names no real instant. */
function isoTime(text: string): string {
  const time = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}
