import { ApplicationFailure, setHandler, uuid4 } from '@temporalio/workflow';
import { stepIdempotencyKey } from '../../core/model/capabilities/keys';
import { IncidentFailure, type IncidentActionResult } from '../../core/model/incident';
import type * as IncidentActions from '../../core/schemas/incident-actions';
import type { IncidentCommand } from '../../core/schemas/incident-actions';
import { apply, refuse } from '../../core/model/incident/commands';
import type { Effect, PostStatusUpdate } from '../../core/model/incident/effects';
import { newlyReached } from '../../core/model/incident/status';
import { incidentActionUpdate } from '../../core/model/messages';
import { publicStatusTitle } from '../../core/model/status-page-bounds';
import { compat } from '../compat';
import { loadLazily } from '../lazy';
import { statusPageOpenIncident, statusPageUpdateIncident } from './activities';
import { carryOutNow } from './effects';
import { failureMessage, type IncidentRun } from './incident-run';
import type { Listing } from './listing';
import { describeIssues } from '../../core/model/validation-issues';
import { refuseFromNotification } from '../../core/model/oncall/notify-plan';

/**
 * The command schema, built when the first command arrives (most incidents take alerts
 * only). Not imported at the top: this module is shared by every workflow of a worker
 * thread, and zod schemas, which memoise into themselves, cannot be (lazy.ts).
 */
const incidentActionSchema = (): typeof IncidentActions.IncidentActionSchema =>
  loadLazily<typeof IncidentActions>(() => require('../../core/schemas/incident-actions')).IncidentActionSchema;

const conflict = (message: string) => ApplicationFailure.nonRetryable(message, IncidentFailure.Conflict);

/** People's commands: checked by the schema and the rules, applied, then carried out. */
export function handleCommands(run: IncidentRun, listing: Listing): void {
  const { incident } = run;
  setHandler(
    incidentActionUpdate,
    async (command: IncidentCommand): Promise<IncidentActionResult> => {
      const before = { ...incident.metrics };
      try {
        await carryOut(run, apply(incident, command, new Date().toISOString()));
      } finally {
        run.webhooks?.observe(command.actor);
      }
      listing.publish();
      return { incidentId: incident.id, status: incident.status, severity: incident.severity, metrics: incident.metrics, newlyReached: newlyReached(before, incident.metrics) };
    },
    {
      validator: (command: IncidentCommand) => {
        const parsed = incidentActionSchema().safeParse(command?.action);
        if (!parsed.success || typeof command.actor !== 'string' || command.actor.length === 0) {
          throw ApplicationFailure.nonRetryable(
            parsed.success ? 'a command names its actor' : describeIssues(parsed.error.issues),
            IncidentFailure.Invalid,
          );
        }
        const reason = refuse(incident, parsed.data) ?? (command.fromNotification && refuseFromNotification(incident, command.fromNotification));
        if (reason) throw conflict(reason);
      },
    },
  );
}

async function carryOut(run: IncidentRun, effects: Effect[]): Promise<void> {
  for (const effect of effects) {
    if (effect.kind === 'post-status-update') await postStatusUpdate(run, effect.update, effect.actor);
    else carryOutNow(run, [effect]);
  }
}

async function postStatusUpdate(run: IncidentRun, update: PostStatusUpdate, actor: string): Promise<void> {
  const { incident } = run;
  // The public page gets its own title, never the internal one; and each update its own key,
  // since counting timeline entries repeats a key once older entries leave the timeline.
  const publicUpdates = compat.publicStatusPageUpdates(run.paths);
  const updateKey = publicUpdates
    ? `status-page-update-${uuid4()}`
    : `status-page-update-${incident.timeline.filter((entry) => entry.kind === 'status-update').length + 1}`;
  const publicTitle = publicUpdates ? (update.title ?? publicStatusTitle(incident.service)) : incident.title;
  try {
    if (!incident.statusPage) {
      const opened = await run.step(() =>
        statusPageOpenIncident({
          idempotencyKey: stepIdempotencyKey(run.workflowId, 'status-page-open'),
          incidentId: incident.id,
          title: publicTitle,
          status: update.status,
          message: update.message,
          components: update.components,
        }),
      );
      incident.statusPage = { statusIncidentId: opened.id, url: opened.url, status: update.status };
    } else {
      const statusIncidentId = incident.statusPage.statusIncidentId;
      await run.step(() =>
        statusPageUpdateIncident({
          idempotencyKey: stepIdempotencyKey(run.workflowId, updateKey),
          statusIncidentId,
          status: update.status,
          message: update.message,
          components: update.components,
        }),
      );
      incident.statusPage.status = update.status;
    }
  } catch (error) {
    run.record({ kind: 'status-update', actor, summary: `Status page update failed: ${failureMessage(error)}` });
    throw ApplicationFailure.nonRetryable(`status page update failed: ${failureMessage(error)}`, 'StatusPageFailed');
  }
  run.record({
    kind: 'status-update',
    actor,
    summary: `Status page (${update.status}): ${update.message}`,
    details: { components: update.components, statusIncidentId: incident.statusPage?.statusIncidentId },
  });
}
