import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { type ReceivedAlert } from '../core/alert';
import {
  IncidentFailure,
  type IncidentAlert,
  type IncidentSnapshot,
  type IngestAlertsInput,
  type IngestAlertsResult,
  type OpenIncidentInput,
} from '../core/incident';
import { IncidentStatus, type TimelineEntry } from '../core/incident-model';
import { incidentQuery, ingestAlertsUpdate } from '../core/messages';
import {
  IncidentServiceAttribute,
  IncidentSeverityAttribute,
  IncidentStatusAttribute,
} from '../core/search-attributes';

/** Statuses in which an incident no longer takes firing alerts; a new incident opens instead. */
const NOT_OPEN: readonly IncidentStatus[] = [IncidentStatus.Resolved, IncidentStatus.Closed];

/**
 * An incident's whole life. Its state, alerts and timeline live here and are read by
 * query; the API lists incidents through the search attributes it keeps current.
 */
export async function incidentWorkflow(input: OpenIncidentInput): Promise<IncidentSnapshot> {
  const openedAt = new Date().toISOString();
  const incident: IncidentSnapshot = {
    id: input.incidentId,
    title: input.title,
    status: IncidentStatus.Triggered,
    severity: input.severity,
    service: input.service,
    dedupKey: input.dedupKey,
    openedAt,
    openedBy: input.openedBy,
    alertCount: 0,
    firingAlerts: 0,
    alerts: [],
    timeline: [],
  };
  const receipts = new Set<string>();
  const firing = new Set<string>();

  const record = (entry: Omit<TimelineEntry, 'at'>, at = new Date().toISOString()) => {
    incident.timeline.push({ at, ...entry });
  };

  const publishSearchAttributes = () => {
    upsertSearchAttributes([
      { key: IncidentStatusAttribute, value: incident.status },
      { key: IncidentSeverityAttribute, value: incident.severity },
      ...(incident.service ? [{ key: IncidentServiceAttribute, value: incident.service }] : []),
    ]);
  };

  const recordAlert = ({ receiptId, receivedAt, receivedBy, alert }: ReceivedAlert) => {
    const stored: IncidentAlert = { ...alert, receiptId, receivedAt };
    incident.alerts.push(stored);
    incident.alertCount += 1;
    const identity = alert.fingerprint ?? alert.dedupKey + JSON.stringify(alert.labels);
    if (alert.status === 'firing') firing.add(identity);
    else firing.delete(identity);
    incident.firingAlerts = firing.size;
    record(
      {
        kind: 'alert',
        actor: receivedBy,
        summary: `${alert.status === 'firing' ? 'Alert firing' : 'Alert resolved'}: ${alert.summary}`,
        details: { receiptId, source: alert.source, status: alert.status, labels: alert.labels },
      },
      receivedAt,
    );
  };

  setHandler(incidentQuery, () => incident);

  setHandler(
    ingestAlertsUpdate,
    ({ alerts }: IngestAlertsInput): IngestAlertsResult => {
      let recorded = 0;
      for (const received of alerts) {
        if (receipts.has(received.receiptId)) continue;
        receipts.add(received.receiptId);
        recordAlert(received);
        recorded += 1;
      }
      return { incidentId: incident.id, recorded };
    },
    {
      validator: ({ alerts }: IngestAlertsInput) => {
        if (!Array.isArray(alerts) || alerts.length === 0) {
          throw ApplicationFailure.nonRetryable('an alert batch holds at least one alert', IncidentFailure.Invalid);
        }
        if (NOT_OPEN.includes(incident.status) && alerts.some(({ alert }) => alert.status === 'firing')) {
          throw ApplicationFailure.nonRetryable(
            `incident ${incident.id} is ${incident.status}; firing alerts open a new incident`,
            IncidentFailure.NotOpen,
          );
        }
      },
    },
  );

  record({
    kind: 'status',
    actor: input.openedBy,
    summary: `Incident opened (${incident.severity}): ${incident.title}`,
    details: { workflowId: workflowInfo().workflowId },
  });
  publishSearchAttributes();

  await condition(() => incident.status === IncidentStatus.Closed);
  await condition(allHandlersFinished);
  return incident;
}
