import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { ReceivedAlert } from '../../core/model/alert';
import { IncidentFailure, type IngestAlertsInput, type IngestAlertsResult, type RecordEventInput } from '../../core/model/incident';
import {
  alertEntry,
  alertIdentity,
  AUTO_MITIGATE_HOW,
  autoMitigates,
  FIRING_UNTRACKED_SUMMARY,
  recoveryMove,
  refuseAlerts,
  storedAlert,
  tracksFiring,
} from '../../core/model/incident/alerts';
import { INCIDENT_LIMITS } from '../../core/model/incident/bounds';
import { recordBy } from '../../core/model/incident/effects';
import { droppedLaunchesSummary } from '../../core/model/incident/runbooks';
import { moveStatus } from '../../core/model/incident/status';
import { followStatusPage } from '../../core/model/incident/status-page';
import { followChat } from '../../core/model/incident/chat';
import { IncidentStatus } from '../../core/model/incident-model';
import { ingestAlertsUpdate, recordEventSignal } from '../../core/model/messages';
import { compat } from '../compat';
import { carryOutNow } from './effects';
import type { IncidentRun } from './incident-run';
import type { Listing } from './listing';
import { queueLaunch } from './runbook-launcher';

/** Alerts in batches, each receipt recorded once. */
export function handleAlerts(run: IncidentRun, listing: Listing): void {
  setHandler(
    ingestAlertsUpdate,
    ({ alerts }: IngestAlertsInput): IngestAlertsResult => {
      let recorded = 0;
      for (const received of alerts) {
        if (run.receipts.seen(received.receiptId)) continue;
        run.receipts.add(received.receiptId);
        recordAlert(run, received);
        recorded += 1;
      }
      if (run.launchesDropped > 0) {
        carryOutNow(run, [recordBy('runbook', droppedLaunchesSummary(run.launchesDropped))]);
        run.launchesDropped = 0;
      }
      if (autoMitigates(run.incident, recorded, run.firing.size, run.firingUntracked)) {
        carryOutNow(run, moveStatus(run.incident, IncidentStatus.Mitigated, 'firebreak', AUTO_MITIGATE_HOW, new Date().toISOString()));
      }
      run.webhooks?.observe('firebreak');
      listing.publish();
      return { incidentId: run.incident.id, recorded };
    },
    {
      validator: ({ alerts }: IngestAlertsInput) => {
        const refused = refuseAlerts(run.incident, alerts);
        if (refused && 'invalid' in refused) throw ApplicationFailure.nonRetryable(refused.invalid, IncidentFailure.Invalid);
        if (refused) throw ApplicationFailure.nonRetryable(refused.notOpen, IncidentFailure.NotOpen);
      },
    },
  );
}

/** Events from other workflows: a runbook's steps, a heartbeat monitor's news. */
export function handleEvents(run: IncidentRun, listing: Listing): void {
  setHandler(recordEventSignal, ({ entry, heartbeat, statusPage, chat }: RecordEventInput) => {
    if (chat) followChat(run.incident, chat, (run.incident.timelineStart ?? 0) + run.incident.timeline.length);
    run.record(entry);
    if (statusPage) followStatusPage(run.incident, statusPage);
    const move = recoveryMove(run.incident, heartbeat);
    if (move) carryOutNow(run, moveStatus(run.incident, move.status, 'firebreak', move.how, new Date().toISOString()));
    run.webhooks?.observe('firebreak');
    listing.publish();
  });
}

/** Records one alert: its runbook starts, the window of recent alerts, the firing set, the timeline. */
function recordAlert(run: IncidentRun, received: ReceivedAlert): void {
  const { incident, firing } = run;
  const { alert } = received;
  for (const launch of received.runbooks ?? []) queueLaunch(run, { ...launch, trigger: 'alert' });
  const stored = storedAlert(received);
  run.recentAlerts.push(stored);
  run.recentAlerts.trim(INCIDENT_LIMITS.alerts, INCIDENT_LIMITS.alertsBytes);
  incident.alertCount += 1;
  const identity = alertIdentity(alert);
  if (alert.status === 'firing') {
    if (tracksFiring(firing, identity) || !compat.boundedFiringAlerts(run.paths)) {
      firing.add(identity);
    } else if (!run.firingUntracked) {
      run.firingUntracked = true;
      run.record({ kind: 'alert', actor: 'firebreak', summary: FIRING_UNTRACKED_SUMMARY });
    }
  } else {
    firing.delete(identity);
  }
  incident.firingAlerts = firing.size;
  run.record(alertEntry(received, stored), received.receivedAt);
}
