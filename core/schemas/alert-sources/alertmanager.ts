/**
 * Prometheus Alertmanager's webhook receiver payload, version "4"
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 */
import { z } from 'zod';
import type { Alert } from '../../model/alert';
import {
  alertListField,
  alertStatusField,
  dateTimeField,
  exactField,
  nonEmptyField,
  numberField,
  stringField,
  stringMapField,
} from './fields';
import { alertsOfDelivery, normalizeLabelledAlert } from './labelled-alert';

export const ALERTMANAGER_SOURCE = 'alertmanager';

export const AlertmanagerAlertSchema = z.object({
  status: alertStatusField('status'),
  labels: stringMapField('labels'),
  // Go encodes a nil map as null; null and absent both read as "none".
  annotations: stringMapField('annotations').nullish(),
  startsAt: dateTimeField('startsAt'),
  /** `0001-01-01T00:00:00Z` (Go's zero time) while the alert has not ended. */
  endsAt: dateTimeField('endsAt').optional(),
  /** The rule's page in Prometheus; empty when Alertmanager was not told. */
  generatorURL: stringField('generatorURL').optional(),
  fingerprint: nonEmptyField('fingerprint'),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlertSchema>;

/** The body Alertmanager POSTs to a webhook receiver. Unknown fields are allowed: vendors add them. */
export const AlertmanagerWebhookSchema = z.object({
  version: exactField('version', '4', 'the Alertmanager webhook payload version Firebreak reads'),
  groupKey: nonEmptyField('groupKey'),
  /** Alerts left out of this notification by the receiver's `max_alerts`. */
  truncatedAlerts: numberField('truncatedAlerts').int().min(0).optional(),
  /** `firing` while any alert of the group fires; each alert carries its own status. */
  status: alertStatusField('status'),
  receiver: stringField('receiver').optional(),
  groupLabels: stringMapField('groupLabels').nullish(),
  commonLabels: stringMapField('commonLabels').nullish(),
  commonAnnotations: stringMapField('commonAnnotations').nullish(),
  externalURL: stringField('externalURL').optional(),
  alerts: alertListField(AlertmanagerAlertSchema),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhookSchema>;

export interface AlertmanagerNormalizeOptions {
  /**
   * `group`: every alert of a notification group shares one dedup key, so a group is one
   * incident. `fingerprint`: each alert gets its own ({@link alertmanagerFingerprintKey}).
   * @default 'group'
   */
  dedupBy?: 'group' | 'fingerprint';
}

/**
 * One {@link Alert} per entry of `alerts[]` (at most `MAX_ALERTS_PER_DELIVERY`), each
 * with the group's common labels and annotations, within `ALERT_LIMITS`.
 */
export function normalizeAlertmanager(
  payload: AlertmanagerWebhook,
  { dedupBy = 'group' }: AlertmanagerNormalizeOptions = {},
): Alert[] {
  const { alerts, notes } = alertsOfDelivery(payload.alerts);
  return alerts.map((alert) =>
    normalizeLabelledAlert(
      ALERTMANAGER_SOURCE,
      alert,
      payload,
      dedupBy === 'fingerprint' ? alertmanagerFingerprintKey(alert) : alertmanagerGroupKey(payload),
      notes,
    ),
  );
}

/**
 * The dedup key of a whole notification group: `alertmanager:` + its `groupKey` (a long
 * one is shortened to a prefix and a hash when the alert is bounded: the same group always
 * gets the same key).
 */
export function alertmanagerGroupKey(payload: Pick<AlertmanagerWebhook, 'groupKey'>): string {
  return `${ALERTMANAGER_SOURCE}:${payload.groupKey}`;
}

/** The dedup key of one alert (`alertmanager:fp:` + fingerprint), for routes that open an incident per alert. */
export function alertmanagerFingerprintKey(alert: { fingerprint: string }): string {
  return `${ALERTMANAGER_SOURCE}:fp:${alert.fingerprint}`;
}
