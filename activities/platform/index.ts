/**
 * Activities that talk to Firebreak itself through Temporal: reading an incident for a
 * runbook, the runbook guardrails' entity workflow, and an alert queue's recovery.
 */
import { createHash } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  guardWorkflowId,
  type GuardAcquireInput,
  type GuardDecision,
  type GuardReleaseInput,
  type RunbookGuardWorkflow,
} from '../../core/model/execution';
import type { IncidentSnapshot, QueuedAlert } from '../../core/model/incident';
import { guardAcquireUpdate, guardQuery, guardReleaseSignal, incidentQuery } from '../../core/model/messages';
import type { PlatformActivities } from '../../core/model/capabilities/platform-activities';
import { deliverAlerts, inDeliveryOrder } from '../../temporal-client/alert-delivery';

/** Dedup keys an alert queue's recovery delivers to at once. */
const RECOVERY_CONCURRENCY = 8;

export function createPlatformActivities(client: Client, taskQueue: string): PlatformActivities {
  return {
    /** The incident as its workflow knows it; null when it does not exist. */
    async incidentRead({ incidentId }: { incidentId: string }): Promise<IncidentSnapshot | null> {
      try {
        return await client.workflow.getHandle(incidentId).query(incidentQuery);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },

    /**
     * Leads or joins the guardrail of a runbook and target. A leader whose run is no
     * longer running (terminated by an operator, or ended before its release reached the
     * guard) is let go in the same update that decides.
     */
    async guardAcquire(input: GuardAcquireInput): Promise<GuardDecision> {
      const workflowId = guardWorkflowId(input.runbookId, input.target);
      const guard = client.workflow.getHandle(workflowId);
      const state = await guard.query(guardQuery).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      let replacing: string | undefined;
      if (state?.active && state.active !== input.executionId) {
        const leader = await client.workflow.getHandle(state.active).describe().catch(() => undefined);
        if (!leader || leader.status.name !== 'RUNNING') replacing = state.active;
      }
      return client.workflow.executeUpdateWithStart(guardAcquireUpdate, {
        args: [{ ...input, replacing }],
        // The same execution asking again (a retried activity) gets the same answer.
        updateId: `acquire:${input.executionId}`,
        startWorkflowOperation: new WithStartWorkflowOperation<RunbookGuardWorkflow>('runbookGuardWorkflow', {
          workflowId,
          taskQueue,
          args: [{ runbookId: input.runbookId, target: input.target, actions: [] }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    },

    /**
     * Delivers an alert queue whose API process did not: each dedup key's alerts in one
     * call, SEV0–SEV1 keys first. A retry reuses each key's update id, and incidents record
     * a receipt once.
     */
    async deliverQueuedAlerts({ queueId, alerts }: { queueId: string; alerts: QueuedAlert[] }): Promise<{ recorded: number; ignored: number }> {
      const keys = inDeliveryOrder(alerts);
      const tally = { recorded: 0, ignored: 0 };
      let next = 0;
      const deliverNext = async (): Promise<void> => {
        for (let index = next++; index < keys.length; index = next++) {
          const [key, queued] = keys[index];
          const updateId = `${queueId}:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
          const outcome = await deliverAlerts(key, queued, { client, taskQueue, updateId });
          tally[outcome.status] += queued.length;
        }
      };
      await Promise.all(Array.from({ length: Math.min(RECOVERY_CONCURRENCY, keys.length) }, deliverNext));
      return tally;
    },

    async guardRelease(input: GuardReleaseInput): Promise<void> {
      await client.workflow.getHandle(guardWorkflowId(input.runbookId, input.target)).signal(guardReleaseSignal, input);
    },
  };
}
