import { Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { StatusPageSnapshot } from '../../../../core/capabilities/status-page';
import { statusPageQuery, statusPageWorkflowId } from '../../../../core/status-page-messages';
import { TemporalService } from '../temporal/temporal.service';

/** The page before anything was ever posted: no known components, no incidents. */
const NOTHING_POSTED: StatusPageSnapshot = {
  overall: 'operational',
  updatedAt: null,
  components: [],
  activeIncidents: [],
  resolvedIncidents: [],
};

/**
 * Reads Firebreak's own status page: the `statusPageWorkflow` of this deployment's task
 * queue, by query. The local status-page adapter starts it on first use.
 */
@Injectable()
export class StatusService {
  constructor(private readonly temporal: TemporalService) {}

  async snapshot(): Promise<StatusPageSnapshot> {
    const workflowId = statusPageWorkflowId(this.temporal.taskQueue);
    try {
      return await this.temporal.call('reading the status page', (client) =>
        client.workflow.getHandle(workflowId).query(statusPageQuery),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return NOTHING_POSTED;
      throw error;
    }
  }
}
