/**
 * Ended console sessions through their entity workflow: the API ends a session on sign-out
 * and reads the ended ones to refuse their cookies, on every replica.
 */
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import {
  type EndedSessions,
  type EndSessionInput,
  endSessionUpdate,
  endedSessionsQuery,
  SESSIONS_WORKFLOW_TYPE,
  type SessionsWorkflow,
  sessionsWorkflowId,
} from '../core/model/sessions';

/** The sessions ended on the deployment of `taskQueue`; none when nobody ever signed out. */
export async function readEndedSessions(client: Client, taskQueue: string): Promise<EndedSessions> {
  try {
    return await client.workflow.getHandle(sessionsWorkflowId(taskQueue)).query(endedSessionsQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { ended: [] };
    throw error;
  }
}

/**
 * Ends session `end.id`, starting the workflow on the first sign-out. The session id is the
 * update id: a retried sign-out is applied once.
 */
export async function endSession(client: Client, { taskQueue, end }: { taskQueue: string; end: EndSessionInput }): Promise<void> {
  await client.workflow.executeUpdateWithStart(endSessionUpdate, {
    args: [end],
    updateId: `end:${end.id}`,
    startWorkflowOperation: new WithStartWorkflowOperation<SessionsWorkflow>(SESSIONS_WORKFLOW_TYPE, {
      workflowId: sessionsWorkflowId(taskQueue),
      taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}
