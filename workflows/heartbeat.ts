import {
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { OpenIncidentInput } from '../core/model/incident';
import { heartbeatPingSignal, heartbeatQuery, recordEventSignal, type HeartbeatStatus } from '../core/model/messages';
import type { HeartbeatMonitor } from '../core/schemas/operator-config';
import type { IncidentPolicy } from '../core/model/routing';
import { IncidentSeverityAttribute, IncidentServiceAttribute, IncidentStatusAttribute } from '../core/model/search-attributes';
import { incidentWorkflow } from './incident/incident.workflow';

export interface HeartbeatWorkflowInput {
  monitor: HeartbeatMonitor;
  policy: IncidentPolicy;
  /** History events after which the monitor (and the incidents it declares) continue as new. */
  maxHistoryEvents?: number;
  carried?: HeartbeatStatus;
}

/** The workflow id of a heartbeat monitor: one long-lived workflow per monitor. */
export const heartbeatWorkflowId = (name: string) => `heartbeat-${name}`;

/**
 * A dead-man switch. Each ping resets a durable timer of interval + grace; when it runs
 * out, the monitor declares one incident (not one per missed interval) and waits. When
 * pings come back, the incident hears of the recovery and follows its policy.
 */
export async function heartbeatWorkflow(input: HeartbeatWorkflowInput): Promise<void> {
  const { monitor } = input;
  const status: HeartbeatStatus = input.carried ?? { name: monitor.name, pings: 0, incidentsDeclared: 0 };
  const maxHistoryEvents = input.maxHistoryEvents ?? 5_000;
  let pings = 0;

  setHandler(heartbeatQuery, () => status);
  setHandler(heartbeatPingSignal, ({ at }) => {
    status.lastPingAt = at;
    status.pings += 1;
    pings += 1;
  });

  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxHistoryEvents;
  const silenceMs = (monitor.intervalSeconds + monitor.graceSeconds) * 1000;

  for (;;) {
    const seen = pings;
    const woken = () => pings !== seen || historyFull();
    // While an incident is open for this silence, only a ping (or a full history) matters.
    const pinged = status.openIncidentId ? (await condition(woken), true) : await condition(woken, silenceMs);
    if (pings !== seen && status.openIncidentId) {
      await recover(status.openIncidentId);
      status.openIncidentId = undefined;
    } else if (!pinged) {
      status.openIncidentId = await declare();
      status.incidentsDeclared += 1;
    }
    if (historyFull()) {
      return continueAsNew<typeof heartbeatWorkflow>({ ...input, carried: status });
    }
  }

  async function declare(): Promise<string> {
    const incidentId = `inc-${uuid4().replace(/-/g, '').slice(0, 12)}`;
    const last = status.lastPingAt ? `last ping at ${status.lastPingAt}` : 'no ping yet';
    const open: OpenIncidentInput = {
      incidentId,
      title: monitor.title ?? `Heartbeat "${monitor.name}" stopped`,
      summary: `No ping for more than ${monitor.intervalSeconds}s + ${monitor.graceSeconds}s grace (${last}).`,
      severity: monitor.severity,
      service: monitor.service,
      dedupKey: `heartbeat:${monitor.name}`,
      openedBy: `heartbeat:${monitor.name}`,
      policy: input.policy,
      maxHistoryEvents: input.maxHistoryEvents,
    };
    await startChild(incidentWorkflow, {
      workflowId: incidentId,
      args: [open],
      // The incident outlives this monitor's run (continue-as-new) and is closed by people.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      memo: { title: open.title },
      typedSearchAttributes: [
        { key: IncidentStatusAttribute, value: 'triggered' },
        { key: IncidentSeverityAttribute, value: open.severity },
        ...(open.service ? [{ key: IncidentServiceAttribute, value: open.service }] : []),
      ],
    });
    return incidentId;
  }

  async function recover(incidentId: string): Promise<void> {
    try {
      await getExternalWorkflowHandle(incidentId).signal(recordEventSignal, {
        entry: { kind: 'notification', actor: `heartbeat:${monitor.name}`, summary: `Heartbeat "${monitor.name}" recovered: pings are back` },
        heartbeat: 'recovered',
      });
    } catch {
      // The incident was already closed by people: nothing left to tell it.
    }
  }
}
