/**
 * Grafana unified alerting's webhook contact point payload, version "1"
 * (https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/).
 * Grafana's notifier is built on Alertmanager, so its alerts have the same shape plus a few
 * Grafana links and the values that triggered them. A contact point with a custom payload
 * template sends whatever its template says, which this schema does not read.
 */
import { z } from 'zod';
import type { Alert } from '../../model/alert';
import {
  alertListField,
  alertStatusField,
  exactField,
  numberField,
  stringField,
  stringMapField,
} from './fields';
import { AlertmanagerAlertSchema } from './alertmanager';
import { alertsOfDelivery, normalizeLabelledAlert } from './labelled-alert';

export const GRAFANA_SOURCE = 'grafana';

/** An Alertmanager alert (Grafana's notifier is built on Alertmanager) plus Grafana's links and values. */
export const GrafanaAlertSchema = AlertmanagerAlertSchema.extend({
  silenceURL: stringField('silenceURL').optional(),
  dashboardURL: stringField('dashboardURL').optional(),
  panelURL: stringField('panelURL').optional(),
  imageURL: stringField('imageURL').optional(),
  /** The query and expression values that set the state, by refId; null when there were none. */
  values: z.record(z.string(), z.number({ error: 'values must map names to numbers' })).nullish(),
  valueString: stringField('valueString').optional(),
});
export type GrafanaAlert = z.infer<typeof GrafanaAlertSchema>;

/** The body a Grafana webhook contact point sends. Unknown fields are allowed: vendors add them. */
export const GrafanaWebhookSchema = z.object({
  version: exactField('version', '1', 'the Grafana webhook payload version Firebreak reads'),
  /** Grafana always sends one; without it each alert is deduplicated by fingerprint instead. */
  groupKey: stringField('groupKey').optional(),
  receiver: stringField('receiver').optional(),
  status: alertStatusField('status'),
  orgId: numberField('orgId').int().optional(),
  truncatedAlerts: numberField('truncatedAlerts').int().min(0).optional(),
  groupLabels: stringMapField('groupLabels').nullish(),
  commonLabels: stringMapField('commonLabels').nullish(),
  commonAnnotations: stringMapField('commonAnnotations').nullish(),
  externalURL: stringField('externalURL').optional(),
  /** Deprecated by Grafana (as are `state` and `message`): rendered text, not data. */
  title: stringField('title').optional(),
  state: stringField('state').optional(),
  message: stringField('message').optional(),
  alerts: alertListField(GrafanaAlertSchema),
});
export type GrafanaWebhook = z.infer<typeof GrafanaWebhookSchema>;

/**
 * One {@link Alert} per entry of `alerts[]` (at most `MAX_ALERTS_PER_DELIVERY`), each
 * with the group's common labels and annotations, within `ALERT_LIMITS`.
 */
export function normalizeGrafana(payload: GrafanaWebhook): Alert[] {
  const { alerts, notes } = alertsOfDelivery(payload.alerts);
  return alerts.map((alert) =>
    normalizeLabelledAlert(GRAFANA_SOURCE, alert, payload, grafanaDedupKey(payload, alert), notes, [
      { kind: 'dashboard', url: alert.dashboardURL },
      { kind: 'panel', url: alert.panelURL },
      { kind: 'silence', url: alert.silenceURL },
      { kind: 'image', url: alert.imageURL },
    ]),
  );
}

/** `grafana:` + the group key, or `grafana:fp:` + the alert's fingerprint when the payload has none. */
export function grafanaDedupKey(payload: Pick<GrafanaWebhook, 'groupKey'>, alert: { fingerprint: string }): string {
  return payload.groupKey ? `${GRAFANA_SOURCE}:${payload.groupKey}` : `${GRAFANA_SOURCE}:fp:${alert.fingerprint}`;
}
