/**
 * Activities that talk to Firebreak itself through Temporal: reading an incident for a
 * runbook, and the runbook guardrails' entity workflow.
 */
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  guardWorkflowId,
  type GuardAcquireInput,
  type GuardDecision,
  type GuardReleaseInput,
} from '../../core/execution';
import type { IncidentSnapshot } from '../../core/incident';
import { guardAcquireUpdate, guardQuery, guardReleaseSignal, incidentQuery } from '../../core/messages';
import type { runbookGuardWorkflow } from '../../workflows/runbook-guard';

export function createPlatformActivities(client: Client, taskQueue: string) {
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
     * Leads or joins the guardrail of a runbook and target. A leader whose run ended
     * without releasing (terminated by an operator) is released first.
     */
    async guardAcquire(input: GuardAcquireInput): Promise<GuardDecision> {
      const workflowId = guardWorkflowId(input.runbookId, input.target);
      const guard = client.workflow.getHandle(workflowId);
      const state = await guard.query(guardQuery).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      if (state?.active && state.active !== input.executionId) {
        const leader = await client.workflow.getHandle(state.active).describe().catch(() => undefined);
        if (!leader || leader.status.name !== 'RUNNING') {
          await guard.signal(guardReleaseSignal, { runbookId: input.runbookId, target: input.target, executionId: state.active });
        }
      }
      return client.workflow.executeUpdateWithStart(guardAcquireUpdate, {
        args: [input],
        // The same execution asking again (a retried activity) gets the same answer.
        updateId: `acquire:${input.executionId}`,
        startWorkflowOperation: new WithStartWorkflowOperation<typeof runbookGuardWorkflow>('runbookGuardWorkflow', {
          workflowId,
          taskQueue,
          args: [{ runbookId: input.runbookId, target: input.target, actions: [] }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    },

    async guardRelease(input: GuardReleaseInput): Promise<void> {
      await client.workflow.getHandle(guardWorkflowId(input.runbookId, input.target)).signal(guardReleaseSignal, input);
    },
  };
}

export type PlatformActivities = ReturnType<typeof createPlatformActivities>;
