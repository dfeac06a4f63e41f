import { Context } from '@temporalio/activity';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { CapabilityFailure } from '../../core/model/capabilities/keys';
import type { StatusIncident } from '../../core/schemas/capabilities/status-page';
import {
  type OpenStatusIncidentCommand,
  type SetComponentStatusCommand,
  STATUS_PAGE_WORKFLOW_TYPE,
  type StatusPageWorkflow,
  type UpdateStatusIncidentCommand,
  openStatusIncidentUpdate,
  setComponentStatusUpdate,
  statusPageWorkflowId,
  updateStatusIncidentUpdate,
} from '../../core/model/status-page-messages';
import type { StatusPagePort } from './port';

/**
 * The built-in status page: Firebreak's own public page at `/status`, whose state is the
 * `statusPageWorkflow` entity workflow. Each call is one update-with-start, so the first one
 * starts the page; the workflow applies each idempotency key once. A page whose workflow ran
 * and closed (failed, terminated) is never started afresh here: a fresh page would show all
 * green and reuse status incident ids that incidents still hold; the step fails for good
 * instead, and `/status` answers 503 until an operator restores the page.
 */
export class LocalStatusPage implements StatusPagePort {
  constructor(private readonly temporal: Client) {}

  openIncident(command: OpenStatusIncidentCommand): Promise<StatusIncident> {
    return this.send(openStatusIncidentUpdate, command);
  }

  updateIncident(command: UpdateStatusIncidentCommand): Promise<void> {
    return this.send(updateStatusIncidentUpdate, command);
  }

  setComponentStatus(command: SetComponentStatusCommand): Promise<void> {
    return this.send(setComponentStatusUpdate, command);
  }

  private async send<Ret, Arg>(update: UpdateDefinition<Ret, [Arg]>, command: Arg): Promise<Ret> {
    // The page lives on the task queue of the worker running this activity.
    const { taskQueue } = Context.current().info;
    try {
      return await this.temporal.workflow.executeUpdateWithStart(update, {
        args: [command],
        startWorkflowOperation: new WithStartWorkflowOperation<StatusPageWorkflow>(STATUS_PAGE_WORKFLOW_TYPE, {
          workflowId: statusPageWorkflowId(taskQueue),
          taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          args: [{}],
        }),
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw ApplicationFailure.nonRetryable(
          `the status page workflow ${statusPageWorkflowId(taskQueue)} is closed; an operator must restore it (see docs/public-surfaces.md)`,
          CapabilityFailure.Rejected,
        );
      }
      // The page refused the command for good (an unknown incident): so does the activity.
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
        throw ApplicationFailure.nonRetryable(error.cause.message, error.cause.type);
      }
      throw error;
    }
  }
}
