import { z } from 'zod';
import { SEVERITIES, type Severity } from './incident-model';
import type { RunbookLaunch } from './runbook';

/**
 * Severity words that alerting systems commonly put in a `severity` field or label,
 * mapped to Firebreak's SEV scale.
 */
export const SEVERITY_ALIASES = {
  critical: 'SEV1',
  high: 'SEV2',
  error: 'SEV2',
  major: 'SEV2',
  warning: 'SEV3',
  medium: 'SEV3',
  minor: 'SEV4',
  low: 'SEV4',
  info: 'SEV4',
} as const satisfies Record<string, Severity>;
export type SeverityAlias = keyof typeof SEVERITY_ALIASES;

const SEVERITY_INPUTS = [...SEVERITIES, ...(Object.keys(SEVERITY_ALIASES) as SeverityAlias[])] as const;

/** Entries a label or annotation map may hold: with the length limits, an alert stays well under Temporal's payload limit. */
const MAX_MAP_ENTRIES = 128;

const LabelMapSchema = z
  .record(z.string().min(1).max(256), z.string().max(4096))
  .refine((map) => Object.keys(map).length <= MAX_MAP_ENTRIES, { message: `at most ${MAX_MAP_ENTRIES} entries` });

export const AlertStatusSchema = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

/** The body of `POST /v1/alerts`: any system that can POST JSON. */
export const GenericAlertSchema = z
  .object({
    source: z.string().min(1).max(100).describe('Name of the sending system, e.g. "datadog" or "cron-checker".'),
    summary: z.string().min(1).max(1000).describe('One line saying what is wrong.'),
    status: AlertStatusSchema,
    severity: z
      .enum(SEVERITY_INPUTS)
      .optional()
      .describe('SEV0-SEV4, or one of critical, high, error, major, warning, medium, minor, low, info.'),
    dedupKey: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('Alerts with the same key land on the same open incident. Default: a hash of source and labels.'),
    service: z.string().min(1).max(200).optional(),
    labels: LabelMapSchema.default({}).describe('Identifying labels; with source, they make the default dedup key.'),
    annotations: LabelMapSchema.default({}),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    externalUrl: z.url().max(2048).optional(),
  })
  .strict();
export type GenericAlert = z.infer<typeof GenericAlertSchema>;

/** An alert from any source after normalization: what incidents record. */
export interface Alert {
  source: string;
  status: AlertStatus;
  summary: string;
  severity?: Severity;
  dedupKey: string;
  service?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  fingerprint?: string;
  externalUrl?: string;
}

/** An alert as the API acknowledged it: the receipt id makes redelivery to the workflow idempotent. */
export interface ReceivedAlert {
  receiptId: string;
  receivedAt: string;
  /** Name of the API key that delivered it. */
  receivedBy: string;
  alert: Alert;
  /** Runbooks this alert starts on its incident (from triggers and the route), decided by the API. */
  runbooks?: RunbookLaunch[];
}

export function normalizeSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as Severity;
  const alias = value.toLowerCase();
  return alias in SEVERITY_ALIASES ? SEVERITY_ALIASES[alias as SeverityAlias] : undefined;
}

/**
 * The text a default dedup key is hashed from: the source and the labels in key order, so
 * the same labels in any order give the same key.
 */
export function canonicalAlertIdentity(source: string, labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${JSON.stringify(key)}=${JSON.stringify(labels[key])}`);
  return `${JSON.stringify(source)}{${pairs.join(',')}}`;
}

/** Normalizes a generic alert once its dedup key is known. */
export function normalizeGenericAlert(body: GenericAlert, dedupKey: string): Alert {
  return {
    source: body.source,
    status: body.status,
    summary: body.summary,
    severity: normalizeSeverity(body.severity),
    dedupKey,
    service: body.service ?? body.labels.service,
    labels: body.labels,
    annotations: body.annotations,
    startsAt: body.startsAt,
    externalUrl: body.externalUrl,
  };
}
