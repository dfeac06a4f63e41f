/**
 * Alertmanager and Grafana (whose notifier is built on Alertmanager) send the same kind of
 * alert: labels, annotations, a fingerprint, plus labels and annotations common to the
 * group. This turns one of them into Firebreak's {@link Alert}.
 */
import { type Alert, type AlertStatus, normalizeSeverity } from '../alert';

export interface LabelledAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations?: Record<string, string> | null;
  startsAt: string;
  generatorURL?: string | null;
  fingerprint: string;
}

export interface AlertGroup {
  commonLabels?: Record<string, string> | null;
  commonAnnotations?: Record<string, string> | null;
}

export function normalizeLabelledAlert(
  source: string,
  alert: LabelledAlert,
  group: AlertGroup,
  dedupKey: string,
): Alert {
  // The alert's own values win: common maps only hold what every alert of the group shares.
  const labels = { ...group.commonLabels, ...alert.labels };
  const annotations = { ...group.commonAnnotations, ...alert.annotations };
  return {
    source,
    status: alert.status,
    summary: summarize(source, labels, annotations, alert.fingerprint),
    severity: normalizeSeverity(labels.severity),
    dedupKey,
    service: nonBlank(labels.service) ?? nonBlank(labels.job),
    labels,
    annotations,
    startsAt: alert.startsAt,
    fingerprint: alert.fingerprint,
    externalUrl: nonBlank(alert.generatorURL ?? undefined),
  };
}

function summarize(
  source: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  fingerprint: string,
): string {
  const written = nonBlank(annotations.summary) ?? nonBlank(annotations.description);
  if (written) return written;
  const name = nonBlank(labels.alertname);
  if (!name) return `${source} alert ${fingerprint}`;
  const instance = nonBlank(labels.instance);
  return instance ? `${name} on ${instance}` : name;
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
