/** The body of `POST /v1/alerts` as a schema, and its normalization into an {@link Alert}. */
import { z } from 'zod';
import { ALERT_LIMITS, boundAlert, GENERIC_ALERT_MAX_BYTES, linkUrl } from '../model/alert-bounds';
import { ALERT_LINK_KINDS, ALERT_STATUSES, normalizeSeverity, SEVERITY_ALIASES, type Alert, type SeverityAlias } from '../model/alert';
import { SEVERITIES } from '../model/incident-model';
import { ownValue } from '../model/own';
import { jsonBytes } from '../model/text';
import { bytesRule, freeText, plainLine, utf8String } from './text-schemas';

const SEVERITY_INPUTS = [...SEVERITIES, ...(Object.keys(SEVERITY_ALIASES) as SeverityAlias[])] as const;

/**
 * A label or annotation map within `limits`: names are identifiers, values text (labels
 * one line, annotations may hold newlines), and the whole map is bounded as JSON.
 */
function stringMapSchema(what: 'label' | 'annotation', entries: number, valueBytes: number, totalBytes: number) {
  const value = what === 'label' ? utf8String(valueBytes) : freeText(valueBytes, { min: 0 });
  return z
    .record(plainLine(ALERT_LIMITS.labelNameBytes), value)
    .refine((map) => Object.keys(map).length <= entries, { message: `at most ${entries} entries` })
    .refine((map) => jsonBytes(map) <= totalBytes, { message: `${bytesRule(totalBytes)} as JSON` });
}

const LabelMapSchema = stringMapSchema('label', ALERT_LIMITS.labelEntries, ALERT_LIMITS.labelValueBytes, ALERT_LIMITS.labelsBytes);
const AnnotationMapSchema = stringMapSchema(
  'annotation',
  ALERT_LIMITS.annotationEntries,
  ALERT_LIMITS.annotationValueBytes,
  ALERT_LIMITS.annotationsBytes,
);

export const AlertStatusSchema = z.enum(ALERT_STATUSES);

/** A link on a generic alert: a dashboard, a runbook, the check that fired. */
export const AlertLinkSchema = z
  .object({
    url: z
      .string()
      .refine((url) => linkUrl(url) !== undefined, { message: `an http(s) URL of one line, ${bytesRule(ALERT_LIMITS.externalUrlBytes)}` }),
    text: plainLine(ALERT_LIMITS.linkTextBytes).optional(),
    kind: z.enum(ALERT_LINK_KINDS).default('link'),
  })
  .strict();

/** The body of `POST /v1/alerts`: any system that can POST JSON. */
export const GenericAlertSchema = z
  .object({
    source: plainLine(ALERT_LIMITS.sourceBytes).describe('Name of the sending system, e.g. "datadog" or "cron-checker".'),
    summary: plainLine(ALERT_LIMITS.summaryBytes).describe('One line saying what is wrong.'),
    status: AlertStatusSchema,
    severity: z
      .enum(SEVERITY_INPUTS)
      .optional()
      .describe('SEV0-SEV4, or one of critical, high, error, major, warning, medium, minor, low, info.'),
    dedupKey: plainLine(ALERT_LIMITS.dedupKeyBytes)
      .optional()
      .describe('Alerts with the same key land on the same open incident. Default: a hash of source and labels.'),
    service: plainLine(ALERT_LIMITS.serviceBytes).optional(),
    labels: LabelMapSchema.default({}).describe('Identifying labels; with source, they make the default dedup key.'),
    annotations: AnnotationMapSchema.default({}).describe('Free text: descriptions, links. Tabs and newlines are allowed.'),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    externalUrl: z.url().max(ALERT_LIMITS.externalUrlBytes).optional(),
    links: z
      .array(AlertLinkSchema)
      .max(ALERT_LIMITS.linkEntries)
      .optional()
      .describe('Dashboards, runbooks, the check that fired: shown with the alert wherever its incident is.'),
  })
  .strict()
  .refine((alert) => jsonBytes(alert) <= GENERIC_ALERT_MAX_BYTES, {
    message: `the whole alert is ${bytesRule(GENERIC_ALERT_MAX_BYTES)} as JSON`,
  });
export type GenericAlert = z.infer<typeof GenericAlertSchema>;

/** Normalizes a generic alert once its dedup key is known (within {@link ALERT_LIMITS}, as every alert). */
export function normalizeGenericAlert(body: GenericAlert, dedupKey: string): Alert {
  return boundAlert({
    source: body.source,
    status: body.status,
    summary: body.summary,
    severity: normalizeSeverity(body.severity),
    dedupKey,
    service: body.service ?? ownValue(body.labels, 'service'),
    labels: body.labels,
    annotations: body.annotations,
    startsAt: body.startsAt,
    externalUrl: body.externalUrl,
    ...(body.links ? { links: body.links } : {}),
  });
}
