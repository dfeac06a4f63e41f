import { temporal } from '@temporalio/proto';
import { createActivities } from '../activities';
import type { ReceivedAlert } from '../core/model/alert';
import type { OpenIncidentInput } from '../core/model/incident';
import { INCIDENT_LIMITS } from '../core/model/incident/bounds';
import { localIntegrations } from '../core/schemas/integrations-config';
import { incidentQuery, ingestAlertsUpdate } from '../core/model/messages';
import { jsonBytes } from '../core/model/text';
import { useTestWorker } from '../test/temporal';
import { waitFor } from '../test/wait';
import { CURRENT_PATHS_PATCH } from './compat';
import type { incidentWorkflow } from './incident/incident.workflow';

const { EventType } = temporal.api.enums.v1;

describe('incidentWorkflow state bounds', () => {
  const worker = useTestWorker('incident-bounds', (client) => createActivities({ config: localIntegrations(), temporal: client }));

  const received = (n: number): ReceivedAlert => ({
    receiptId: `receipt-${String(n).padStart(6, '0')}-${'r'.repeat(30)}`,
    receivedAt: new Date().toISOString(),
    receivedBy: 'test',
    alert: {
      source: 'test',
      status: 'firing',
      summary: `alert ${n}`,
      dedupKey: 'bounds',
      fingerprint: `fp-${n}`,
      labels: { alertname: 'Many', instance: `host-${n}`, detail: 'x'.repeat(100) },
      annotations: { description: 'd'.repeat(100) },
    },
  });

  it('continues as new on state size, and keeps the timeline, the alerts and the receipts bounded', async () => {
    const workflowId = `inc-bounds-${Date.now()}`;
    const input: OpenIncidentInput = {
      incidentId: workflowId,
      title: 'Many alerts',
      severity: 'SEV2',
      dedupKey: 'bounds',
      openedBy: 'test',
      maxHistoryEvents: 50_000,
      maxStateBytes: 128 * 1024,
    };
    const handle = await worker.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', { workflowId, taskQueue: worker.taskQueue, args: [input] });
    const firstRunId = handle.firstExecutionRunId;
    let total = 0;
    const deliver = async (count: number) => {
      const alerts = Array.from({ length: count }, () => received(total++));
      const result = await worker.client.workflow.getHandle(workflowId).executeUpdate(ingestAlertsUpdate, { args: [{ alerts }] });
      expect(result.recorded).toBe(alerts.length);
    };
    while (total < INCIDENT_LIMITS.receipts + 300) await deliver(100);
    // A run continues on state size once it is a few seconds old: alerts keep coming meanwhile.
    await waitFor(
      'the incident to continue as new',
      async () => {
        await deliver(1);
        return (await worker.client.workflow.getHandle(workflowId).query(incidentQuery)).continuedAsNew >= 1;
      },
      { timeoutMs: 45_000, intervalMs: 1_000 },
    );

    const incident = await worker.client.workflow.getHandle(workflowId).query(incidentQuery);
    expect(incident.alertCount).toBe(total);
    expect(incident.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(incident.alerts.length).toBeLessThanOrEqual(INCIDENT_LIMITS.alerts);
    expect(incident.alerts.at(-1)?.summary).toBe(`alert ${total - 1}`);
    expect(incident.timeline.length).toBeLessThanOrEqual(INCIDENT_LIMITS.timelineEntries);
    expect(jsonBytes(incident.timeline)).toBeLessThanOrEqual(INCIDENT_LIMITS.timelineBytes);
    // Past the tracked limit, the firing count is a lower bound (and said so once on the timeline).
    expect(incident.firingAlerts).toBe(INCIDENT_LIMITS.firing);
    // Every entry keeps its number: the opening entry, one per alert and that one, the dropped ones counted by kind.
    expect((incident.timelineStart ?? 0) + incident.timeline.length).toBe(2 + total);
    expect(incident.timelineDropped?.status).toBe(1);
    expect(incident.timelineDropped?.alert).toBe((incident.timelineStart ?? 0) - 1);
    expect(incident.timeline.at(-1)?.summary).toBe(`Alert firing: alert ${total - 1}`);
    expect(jsonBytes(incident)).toBeLessThan(1024 * 1024);

    // The first run continued on its state's size, long before its history was full.
    const firstRun = await worker.client.workflow.getHandle(workflowId, firstRunId).fetchHistory();
    const markers = (firstRun.events ?? []).filter((event) => event.eventType === EventType.EVENT_TYPE_MARKER_RECORDED);
    const patches = markers.flatMap((event) =>
      (event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map(
        (payload) => (JSON.parse(Buffer.from(payload.data ?? []).toString('utf8')) as { id: string }).id,
      ),
    );
    // Under the one marker of the current paths, continue-as-new-on-state-size among them.
    expect(patches).toEqual([CURRENT_PATHS_PATCH]);
    expect(firstRun.events?.at(-1)?.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

    // What the current run was started with: a bounded receipt set and trimmed windows.
    const current = await worker.client.workflow.getHandle(workflowId).fetchHistory();
    const started = current.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const carried = (JSON.parse(Buffer.from(started?.data ?? []).toString('utf8')) as OpenIncidentInput).carried!;
    expect(carried.receipts.length).toBeLessThanOrEqual(INCIDENT_LIMITS.receipts);
    expect(carried.snapshot.postmortem).toBeUndefined();
    expect(jsonBytes(carried)).toBeLessThan(512 * 1024);

    // A redelivery of a recent alert is still recognised.
    const again = await worker.client.workflow.getHandle(workflowId).executeUpdate(ingestAlertsUpdate, { args: [{ alerts: [received(total - 1)] }] });
    expect(again.recorded).toBe(0);
  });
});
