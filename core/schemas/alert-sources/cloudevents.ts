/**
 * CloudEvents 1.0 (https://github.com/cloudevents/spec): any event a producer emits in the
 * HTTP binding's binary (`ce-*` headers), structured (`application/cloudevents+json`) or
 * batched (`application/cloudevents-batch+json`) mode. What is pure lives here: the event
 * schema (one per event, whatever the mode), reading a binary-mode request into the same
 * shape, and the alert an event becomes. The API checks each event against the spec with
 * the `cloudevents` library as well.
 */
import { z } from 'zod';
import { normalizeSeverity, type Alert, type AlertLink, type AlertStatus } from '../../model/alert';
import { ALERT_LIMITS, boundAlert } from '../../model/alert-bounds';
import { ownValue } from '../../model/own';
import { cleanLine, shortenKey } from '../../model/text';
import { dateTimeField, exactField, nonEmptyField, stringField } from './fields';
import { detailsAsText } from './fields';

export const CLOUDEVENTS_SOURCE = 'cloudevents';

/** The media types of the structured and batched modes. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
export const CLOUDEVENTS_BATCH_JSON = 'application/cloudevents-batch+json';
/** The prefix of a binary-mode attribute header. */
export const CLOUDEVENTS_HEADER_PREFIX = 'ce-';

/** Attributes the spec defines; every other attribute is an extension. */
const CONTEXT_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64'] as const;
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;

/** Fields of `data` that Firebreak reads itself; its other fields become annotations. */
const READ_DATA_FIELDS = new Set(['summary', 'message', 'severity', 'dedupKey', 'status', 'service', 'labels']);

/**
 * One CloudEvent as the JSON format writes it. `null` reads as absent (the spec's own
 * examples send `"subject": null`); an extension is a string, number or boolean, and its
 * name lower-case letters and digits.
 */
export const CloudEventSchema = z
  .object(
    {
      specversion: exactField('specversion', '1.0', 'the CloudEvents version Firebreak reads'),
      id: nonEmptyField('id'),
      source: nonEmptyField('source'),
      type: nonEmptyField('type'),
      subject: stringField('subject').nullish(),
      time: dateTimeField('time').nullish(),
      datacontenttype: stringField('datacontenttype').nullish(),
      dataschema: stringField('dataschema').nullish(),
      data: z.unknown().optional(),
      data_base64: stringField('data_base64').nullish(),
    },
    { error: 'a CloudEvent must be a JSON object' },
  )
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'an extension attribute must be a string, number or boolean' }))
  .superRefine((event, ctx) => {
    if (event.data !== undefined && event.data_base64 != null) {
      ctx.addIssue({ code: 'custom', path: ['data_base64'], message: 'an event carries data or data_base64, not both' });
    }
  });
export type CloudEvent = z.infer<typeof CloudEventSchema>;

/** A broken rule of an event, by path from the body's root (a batch's events by index). */
export interface CloudEventIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * Reads one event (`at` undefined) or a batch's event `at` an index. Attribute names are
 * checked on the event as sent, before zod copies it: a `__proto__` attribute is refused,
 * never silently dropped.
 */
export function parseCloudEvent(raw: unknown, at?: number): { success: true; event: CloudEvent } | { success: false; issues: CloudEventIssue[] } {
  const prefix = at === undefined ? [] : [at];
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const badNames = Object.keys(raw).filter((name) => !ATTRIBUTE_NAME.test(name) && !(CONTEXT_ATTRIBUTES as readonly string[]).includes(name));
    if (badNames.length > 0) {
      return {
        success: false,
        issues: badNames.map((name) => ({ path: [...prefix, name], message: `attribute name ${JSON.stringify(name)} must be lower-case letters a-z and digits only` })),
      };
    }
  }
  const parsed = CloudEventSchema.safeParse(raw);
  if (parsed.success) return { success: true, event: parsed.data };
  return { success: false, issues: parsed.error.issues.map((issue) => ({ path: [...prefix, ...(issue.path as Array<string | number>)], message: issue.message })) };
}

/** A JSON batch (an array of events; empty is allowed), each event read by {@link parseCloudEvent}. */
export function parseCloudEventBatch(raw: unknown): { success: true; events: CloudEvent[] } | { success: false; issues: CloudEventIssue[] } {
  if (!Array.isArray(raw)) return { success: false, issues: [{ path: [], message: 'a CloudEvents batch must be a JSON array of events' }] };
  const events: CloudEvent[] = [];
  const issues: CloudEventIssue[] = [];
  raw.forEach((item, index) => {
    const read = parseCloudEvent(item, index);
    if (read.success) events.push(read.event);
    else issues.push(...read.issues);
  });
  return issues.length > 0 ? { success: false, issues } : { success: true, events };
}

/** `application/json`, or any `+json` type: data the event carries as JSON. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type.endsWith('+json');
}

/** The media type of a `Content-Type` value: lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Data a binary-mode body carries as text: JSON, text, XML, forms, or no stated type. */
export function isTextContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === '' || isJsonContentType(type) || type.startsWith('text/') || type.endsWith('/xml') || type.endsWith('+xml') || type === 'application/x-www-form-urlencoded';
}

/**
 * A binary-mode request as the JSON format's object, for {@link parseCloudEvent}: each
 * `ce-<name>` header is the attribute `<name>` (percent-decoded, as the HTTP binding
 * encodes it), `Content-Type` is `datacontenttype`, and the body is `data` (parsed when
 * the content type is JSON, else text), or `data_base64` when it is not text. Issues name
 * the attribute, or `data`.
 */
export function cloudEventFromBinary(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string | { base64: string },
): { success: true; event: Record<string, unknown> } | { success: false; issues: CloudEventIssue[] } {
  const entries: Array<[string, unknown]> = [];
  for (const [header, raw] of Object.entries(headers)) {
    const name = header.toLowerCase();
    if (!name.startsWith(CLOUDEVENTS_HEADER_PREFIX) || raw === undefined) continue;
    entries.push([name.slice(CLOUDEVENTS_HEADER_PREFIX.length), percentDecoded(Array.isArray(raw) ? raw[0] : raw)]);
  }
  const contentType = headers['content-type'];
  const datacontenttype = Array.isArray(contentType) ? contentType[0] : contentType;
  if (datacontenttype) entries.push(['datacontenttype', datacontenttype]);
  if (typeof body !== 'string') {
    if (body.base64 !== '') entries.push(['data_base64', body.base64]);
  } else if (body !== '') {
    if (isJsonContentType(datacontenttype)) {
      try {
        entries.push(['data', JSON.parse(body)]);
      } catch {
        return { success: false, issues: [{ path: ['data'], message: `the body is not valid JSON, as its content type ${datacontenttype} says it is` }] };
      }
    } else {
      entries.push(['data', body]);
    }
  }
  // fromEntries defines own properties: a `ce-__proto__` header stays an attribute, which parseCloudEvent refuses.
  return { success: true, event: Object.fromEntries(entries) };
}

/**
 * The dedup key of an event: its `dedupkey` extension or `data.dedupKey`, else its type
 * and subject; namespaced by its source, as generic keys are, and within the alert limits.
 */
export function cloudEventDedupKey(event: CloudEvent): string {
  const explicit = stringValue(event.dedupkey) ?? stringValue(ownValue(dataObject(event.data), 'dedupKey'));
  const source = encodeURIComponent(event.source);
  const key =
    explicit !== undefined
      ? `${CLOUDEVENTS_SOURCE}:${source}:key:${explicit}`
      : `${CLOUDEVENTS_SOURCE}:${source}:event:${encodeURIComponent(event.type)}:${encodeURIComponent(event.subject ?? '')}`;
  return shortenKey(cleanLine(key), ALERT_LIMITS.dedupKeyBytes);
}

/** What makes two deliveries of an event the same one (the spec: source and id). */
export function cloudEventDeliveryId(event: Pick<CloudEvent, 'source' | 'id'>): string {
  return `${event.source}\n${event.id}`;
}

/**
 * An event as an {@link Alert} within the alert limits:
 * - summary: `data.summary`, `data.message`, the subject, else the type;
 * - severity: `data.severity`, else the `severity` extension (SEV0–SEV4 or the usual words);
 * - status: `resolved` when `data.status` says so, else firing;
 * - labels: `source`, `type`, `subject`, the extensions and `data.labels`;
 * - annotations: the event id and `data`'s other fields;
 * - links: `dataschema`, and the source when it is an http(s) URL.
 */
export function normalizeCloudEvent(event: CloudEvent, notes: string[] = []): Alert {
  const data = dataObject(event.data);
  const extensions = Object.entries(event).filter(
    ([name, value]) => !(CONTEXT_ATTRIBUTES as readonly string[]).includes(name) && name !== 'dedupkey' && value !== null && value !== undefined,
  );
  const labels = Object.fromEntries([
    ...detailsAsText(ownValue(data, 'labels'), 'labels'),
    ['source', event.source],
    ['type', event.type],
    ...(event.subject ? [['subject', event.subject]] : []),
    ...extensions.map(([name, value]) => [name, String(value)]),
  ]) as Record<string, string>;
  const annotations = Object.fromEntries([
    ['event_id', event.id],
    ...(data
      ? detailsAsText(Object.fromEntries(Object.entries(data).filter(([name]) => !READ_DATA_FIELDS.has(name))), 'data')
      : detailsAsText(event.data, 'data')),
    ...(event.data_base64 != null ? [['data', `binary data (${event.data_base64.length} base64 characters, ${event.datacontenttype ?? 'no content type'}) not read`]] : []),
  ]) as Record<string, string>;
  const summary = nonBlank(ownValue(data, 'summary')) ?? nonBlank(ownValue(data, 'message')) ?? nonBlank(event.subject) ?? event.type;
  const severity = normalizeSeverity(stringValue(ownValue(data, 'severity')) ?? stringValue(event.severity));
  const status: AlertStatus = ownValue(data, 'status') === 'resolved' ? 'resolved' : 'firing';
  const service = nonBlank(ownValue(data, 'service')) ?? nonBlank(event.service);
  const links: AlertLink[] = [
    ...(event.dataschema ? [{ kind: 'link', url: event.dataschema, text: 'data schema' } satisfies AlertLink] : []),
    ...(/^https?:\/\//i.test(event.source) ? [{ kind: 'external', url: event.source } satisfies AlertLink] : []),
  ];
  return boundAlert(
    {
      source: CLOUDEVENTS_SOURCE,
      status,
      summary,
      ...(severity ? { severity } : {}),
      dedupKey: cloudEventDedupKey(event),
      ...(service ? { service } : {}),
      labels,
      annotations,
      ...(event.time ? { startsAt: event.time } : {}),
      links,
    },
    ALERT_LIMITS,
    notes,
  );
}

function dataObject(data: unknown): Record<string, unknown> | undefined {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
