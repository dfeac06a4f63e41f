import { condition, continueAsNew, setHandler } from '@temporalio/workflow';
import type { IncidentSnapshot, OpenIncidentInput } from '../../core/model/incident';
import { incidentQuery } from '../../core/model/messages';
import { handleAlerts, handleEvents } from './alerts';
import { handleCommands } from './commands';
import { escalationLoop } from './escalation';
import { notificationLoop } from './notifications';
import { chatLoop } from './chat';
import { IncidentRun } from './incident-run';
import { fileActionItemTickets, Lifetime } from './lifetime';
import { Listing } from './listing';
import { runbookLauncher } from './runbook-launcher';
import { IncidentProjection } from './projection';
import { IncidentWebhooks } from './webhooks';
import { compat } from '../compat';

/**
 * An incident's whole life: alerts, commands, roles, escalation, status updates, the
 * postmortem and its action items. The rules live in core/model/incident/ (pure); this is the
 * wiring: handlers, timers, activities. State is read by query; the API lists incidents
 * through the search attributes kept current. Long incidents continue as new, carrying
 * their state, so no history grows without bound.
 */
export async function incidentWorkflow(input: OpenIncidentInput): Promise<IncidentSnapshot> {
  // The opening entries are recorded before any handler is set: setting one delivers the updates already waiting.
  const run = new IncidentRun(input);
  // Asked before any handler can change the incident, so a run has webhooks from its start or not at all.
  const webhooks = compat.outgoingWebhooks(run.paths) ? new IncidentWebhooks(run) : undefined;
  run.webhooks = webhooks;
  // Likewise for the record: a run writes to it from its start or not at all.
  const projection = compat.recordProjection(run.paths) ? new IncidentProjection(run) : undefined;
  const listing = new Listing(run);
  setHandler(incidentQuery, () => run.incident);
  handleAlerts(run, listing);
  handleCommands(run, listing);
  handleEvents(run, listing);
  listing.publish();

  const escalation = escalationLoop(run);
  const notifications = notificationLoop(run);
  const chat = chatLoop(run);
  const runbooks = runbookLauncher(run);
  const lifetime = new Lifetime(run);
  await condition(() => lifetime.closedOrFull());
  if (!lifetime.closed) {
    // Continue as new once nothing is in flight; handlers that arrive meanwhile finish first.
    await condition(() => lifetime.idle());
    // A record write still in flight is abandoned: the next run sends its entries again.
    return continueAsNew<typeof incidentWorkflow>(IncidentProjection.carry(IncidentWebhooks.carry(input, lifetime.carry(), webhooks), projection));
  }

  await escalation;
  await notifications;
  await chat;
  await runbooks;
  await fileActionItemTickets(run, listing);
  await condition(() => lifetime.idle());
  // The last events (resolved, closed) are handed over before the incident ends.
  if (webhooks) await webhooks.publisher.flushed();
  // And the record holds the incident as it ended (a record that is down holds the run open until it is back).
  await projection?.flush();
  return run.incident;
}
