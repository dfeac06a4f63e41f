/**
 * Alertmanager and Grafana (whose notifier is built on Alertmanager) send the same kind of
 * alert: labels, annotations, a fingerprint, plus labels and annotations common to the
 * group. This turns one of them into Firebreak's {@link Alert}.
 */
import { type Alert, type AlertLink, type AlertStatus, normalizeSeverity } from '../../model/alert';
import { ALERT_LIMITS, boundAlert, MAX_ALERTS_PER_DELIVERY } from '../../model/alert-bounds';
import { ownValue } from '../../model/own';

export interface LabelledAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations?: Record<string, string> | null;
  startsAt: string;
  generatorURL?: string | null;
  fingerprint: string;
}

/** A link as a vendor offers it: maybe missing, maybe blank. */
export interface OfferedLink {
  kind: AlertLink['kind'];
  url?: string | null;
  text?: string;
}

export interface AlertGroup {
  commonLabels?: Record<string, string> | null;
  commonAnnotations?: Record<string, string> | null;
  /** The sending Alertmanager's (or Grafana's) own address. */
  externalURL?: string | null;
}

/**
 * Turns one alert of a group into an {@link Alert} within {@link ALERT_LIMITS}: what is over
 * them is cut, with a note, never refused (the sender cannot shorten it, and a refused
 * delivery never pages). `notes` says what the delivery as a whole lost.
 */
export function normalizeLabelledAlert(
  source: string,
  alert: LabelledAlert,
  group: AlertGroup,
  dedupKey: string,
  notes: string[] = [],
  links: readonly OfferedLink[] = [],
): Alert {
  // The alert's own values win: common maps only hold what every alert of the group shares.
  // Spreading defines own properties, so a label named `__proto__` stays a label.
  const labels = { ...group.commonLabels, ...alert.labels };
  const annotations = { ...group.commonAnnotations, ...alert.annotations };
  return boundAlert(
    {
      source,
      status: alert.status,
      summary: summarize(source, labels, annotations, alert.fingerprint),
      severity: normalizeSeverity(ownValue(labels, 'severity')),
      dedupKey,
      service: nonBlank(ownValue(labels, 'service')) ?? nonBlank(ownValue(labels, 'job')),
      labels,
      annotations,
      startsAt: alert.startsAt,
      fingerprint: alert.fingerprint,
      externalUrl: nonBlank(alert.generatorURL ?? undefined),
      links: presentLinks([
        { kind: 'generator', url: alert.generatorURL },
        // Prometheus' convention for the runbook of a rule.
        { kind: 'runbook', url: ownValue(annotations, 'runbook_url') },
        ...links,
        { kind: 'external', url: group.externalURL },
      ]),
    },
    ALERT_LIMITS,
    notes,
  );
}

/**
 * The alerts of a delivery that are read: at most {@link MAX_ALERTS_PER_DELIVERY}, so one
 * delivery cannot outgrow what its incidents hold; the note says how many were left out.
 */
export function alertsOfDelivery<T>(alerts: readonly T[]): { alerts: readonly T[]; notes: string[] } {
  if (alerts.length <= MAX_ALERTS_PER_DELIVERY) return { alerts, notes: [] };
  return {
    alerts: alerts.slice(0, MAX_ALERTS_PER_DELIVERY),
    notes: [`${alerts.length - MAX_ALERTS_PER_DELIVERY} more alerts of this delivery were not read (at most ${MAX_ALERTS_PER_DELIVERY})`],
  };
}

function summarize(
  source: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  fingerprint: string,
): string {
  const written = nonBlank(ownValue(annotations, 'summary')) ?? nonBlank(ownValue(annotations, 'description'));
  if (written) return written;
  const name = nonBlank(ownValue(labels, 'alertname'));
  if (!name) return `${source} alert ${fingerprint}`;
  const instance = nonBlank(ownValue(labels, 'instance'));
  return instance ? `${name} on ${instance}` : name;
}

/** The links that were given (a vendor sends empty strings for links it does not have). */
export function presentLinks(links: readonly OfferedLink[]): AlertLink[] {
  return links.flatMap(({ kind, url, text }) => {
    const present = nonBlank(url ?? undefined);
    return present ? [{ kind, url: present, ...(text ? { text } : {}) }] : [];
  });
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
