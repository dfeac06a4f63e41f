import { SEVERITIES, type Severity } from './incident-model';
import { ownValue } from './own';
import type { RunbookLaunch } from './runbook-launch';

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

export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

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
  /** Where to look: the rule's source, its dashboard and panel, a silence, an image. http(s) only. */
  links?: AlertLink[];
}

export const ALERT_LINK_KINDS = ['generator', 'external', 'dashboard', 'panel', 'silence', 'image', 'runbook', 'link'] as const;
export type AlertLinkKind = (typeof ALERT_LINK_KINDS)[number];

/**
 * A link the sender put on an alert: `generator` the rule that fired (Alertmanager's
 * `generatorURL`), `external` the sending system (Alertmanager's `externalURL`), Grafana's
 * `dashboard`, `panel`, `silence` and `image` URLs, or another `link` with its `text`.
 */
export interface AlertLink {
  kind: AlertLinkKind;
  url: string;
  text?: string;
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
  // Own properties only: `constructor` or `__proto__` is not a severity word.
  return ownValue<Severity>(SEVERITY_ALIASES, value.toLowerCase());
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
