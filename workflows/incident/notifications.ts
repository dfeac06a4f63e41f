import { condition } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import { IncidentStatus } from '../../core/model/incident-model';
import { moveOn, nextDueMs, type PendingNotification, recordNotification, takeDue } from '../../core/model/oncall/notify-plan';
import { notificationSend } from './activities';
import { failureMessage, type IncidentRun } from './incident-run';

const METHOD_NAME = { slack: 'Slack', email: 'email', sms: 'SMS', voice: 'voice call' } as const;

/**
 * Sends each pending notification when it is due, until the incident closes. The queue is
 * the escalation's own (carried through continue-as-new); acknowledging empties it, so
 * nothing pending is sent after. Each send runs beside the loop, so a slow channel never
 * holds up another person's notification.
 */
export async function notificationLoop(run: IncidentRun): Promise<void> {
  const { incident, progress } = run;
  const closed = () => incident.status === IncidentStatus.Closed;
  for (;;) {
    await condition(() => nextDueMs(progress) !== undefined || closed());
    if (closed()) return;
    const next = nextDueMs(progress)!;
    const wait = next - Date.now();
    if (wait > 0) {
      await condition(() => nextDueMs(progress) !== next || closed(), wait);
      continue;
    }
    for (const entry of takeDue(progress, Date.now())) void send(run, entry);
  }
}

async function send(run: IncidentRun, entry: PendingNotification): Promise<void> {
  const { incident, progress } = run;
  const how = `${entry.name} by ${METHOD_NAME[entry.method]} (level ${entry.level}, round ${entry.round})`;
  const base = { id: entry.id, responder: entry.responder, name: entry.name, method: entry.method, level: entry.level, round: entry.round };
  try {
    const result = await run.step(() =>
      notificationSend({
        idempotencyKey: stepIdempotencyKey(run.workflowId, `notify-${entry.id}`),
        incidentId: incident.id,
        responder: entry.responder,
        method: entry.method,
        level: entry.level,
        round: entry.round,
        incident: { title: incident.title, severity: incident.severity, service: incident.service, summary: incident.summary },
      }),
    );
    const at = new Date().toISOString();
    recordNotification(incident, { ...base, at, outcome: 'sent', provider: result.provider, vendorId: result.vendorId });
    run.record({ kind: 'notification', actor: 'firebreak', summary: `Notified ${how}`, details: { notification: entry.id, provider: result.provider } }, at);
  } catch (error) {
    const at = new Date().toISOString();
    const reason = failureMessage(error);
    recordNotification(incident, { ...base, at, outcome: 'failed', error: reason });
    const next = moveOn(progress, entry, Date.now());
    run.record(
      {
        kind: 'notification',
        actor: 'firebreak',
        summary: next
          ? `Could not notify ${how}: ${reason}. Trying ${METHOD_NAME[next.method]} now.`
          : `Could not notify ${how}: ${reason}. ${entry.name} has no method left for this page.`,
        details: { notification: entry.id, error: reason },
      },
      at,
    );
  }
}
