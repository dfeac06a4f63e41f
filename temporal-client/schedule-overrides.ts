/**
 * A schedule's overrides through its entity workflow: the API adds and removes them, and
 * the worker's on-call resolution reads them. Every read is the workflow's query, so an
 * override is seen by everyone as soon as its update has completed.
 */
import {
  ApplicationFailure,
  type Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { Override } from '../core/model/oncall/types';
import {
  addOverrideUpdate,
  OverrideFailure,
  type OverrideIssue,
  overridesQuery,
  removeOverrideUpdate,
  SCHEDULE_OVERRIDES_WORKFLOW_TYPE,
  type ScheduleOverridesWorkflow,
  scheduleOverridesWorkflowId,
} from '../core/model/schedule-overrides';

/** The workflow refused an add or a remove: `kind` says why, `issue` names the field of an invalid one. */
export class OverrideRefusedError extends Error {
  constructor(
    readonly kind: 'invalid' | 'full' | 'not-found',
    message: string,
    readonly issue?: OverrideIssue,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OverrideRefusedError';
  }
}

const KIND_BY_FAILURE: Record<string, OverrideRefusedError['kind']> = {
  [OverrideFailure.Invalid]: 'invalid',
  [OverrideFailure.Full]: 'full',
  [OverrideFailure.NotFound]: 'not-found',
};

/** A refused update as {@link OverrideRefusedError}; anything else as it was. */
function refusal(error: unknown): unknown {
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure)) return error;
  const kind = error.cause.type ? KIND_BY_FAILURE[error.cause.type] : undefined;
  if (!kind) return error;
  const issue = error.cause.details?.[0] as OverrideIssue | undefined;
  return new OverrideRefusedError(kind, error.cause.message, issue, { cause: error });
}

/** The overrides schedule `scheduleId` holds, by `from`; none when nobody ever added one. */
export async function readOverrides(client: Client, { taskQueue, scheduleId }: { taskQueue: string; scheduleId: string }): Promise<Override[]> {
  try {
    return await client.workflow.getHandle(scheduleOverridesWorkflowId(taskQueue, scheduleId)).query(overridesQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return [];
    throw error;
  }
}

/**
 * Adds `override` to schedule `scheduleId`, starting its workflow on the first add. The
 * override's id is the update id: the same add retried is applied once and answers the same.
 */
export async function addOverride(
  client: Client,
  { taskQueue, scheduleId, override }: { taskQueue: string; scheduleId: string; override: Override },
): Promise<Override> {
  try {
    return await client.workflow.executeUpdateWithStart(addOverrideUpdate, {
      args: [{ override }],
      updateId: `add:${override.id}`,
      startWorkflowOperation: new WithStartWorkflowOperation<ScheduleOverridesWorkflow>(SCHEDULE_OVERRIDES_WORKFLOW_TYPE, {
        workflowId: scheduleOverridesWorkflowId(taskQueue, scheduleId),
        taskQueue,
        args: [{ scheduleId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  } catch (error) {
    throw refusal(error);
  }
}

/** Removes override `overrideId` from schedule `scheduleId`; {@link OverrideRefusedError} `not-found` when it holds none of that id. */
export async function removeOverride(
  client: Client,
  { taskQueue, scheduleId, overrideId, by }: { taskQueue: string; scheduleId: string; overrideId: string; by: string },
): Promise<Override> {
  try {
    return await client.workflow
      .getHandle(scheduleOverridesWorkflowId(taskQueue, scheduleId))
      .executeUpdate(removeOverrideUpdate, { args: [{ overrideId, by }], updateId: `remove:${overrideId}` });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new OverrideRefusedError('not-found', `no override ${overrideId}`, undefined, { cause: error });
    }
    throw refusal(error);
  }
}
