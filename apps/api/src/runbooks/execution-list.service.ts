import { Inject, Injectable } from '@nestjs/common';
import { defaultPayloadConverter } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { ExecutionStatus } from '../../../../core/model/execution';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import {
  type ExecutionMemo,
  ExecutionIncidentAttribute,
  ExecutionRunbookAttribute,
  ExecutionStatusAttribute,
} from '../../../../core/model/search-attributes';
import type { ExecutionListItem, ExecutionPage, ListExecutionsQuery } from '../../../../core/schemas/executions-api';
import { ValidationFailedError } from '../http/failures';
import { listingTokens } from '../temporal/listing-tokens';
import { TemporalService } from '../temporal/temporal.service';
import { onTaskQueue, visibilityLiteral } from '../temporal/visibility';
import { RUNBOOK_CATALOG } from '../tokens';

type WorkflowExecutionInfo = temporal.api.workflow.v1.IWorkflowExecutionInfo;
type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;

/** Temporal's execution statuses, as numbers (`WORKFLOW_EXECUTION_STATUS_*`). */
const TEMPORAL = { running: 1, completed: 2, failed: 3, canceled: 4, terminated: 5, timedOut: 7 } as const;

/** Statuses a run holds only while its workflow runs; a run that ended in one was stopped from outside. */
const ACTIVE: ReadonlySet<string> = new Set([ExecutionStatus.Running, ExecutionStatus.WaitingApproval, ExecutionStatus.Compensating]);

/**
 * What each status filter asks visibility. Active statuses also need a running workflow (a
 * terminated run keeps its last published status). A run stopped from outside counts as
 * failed (terminated, timed out) or cancelled.
 */
const STATUS_CLAUSE: Record<ExecutionStatus, string> = {
  [ExecutionStatus.Running]: `${ExecutionStatusAttribute.name} = 'running' AND ExecutionStatus = 'Running'`,
  [ExecutionStatus.WaitingApproval]: `${ExecutionStatusAttribute.name} = 'waiting-approval' AND ExecutionStatus = 'Running'`,
  [ExecutionStatus.Compensating]: `${ExecutionStatusAttribute.name} = 'compensating' AND ExecutionStatus = 'Running'`,
  [ExecutionStatus.Completed]: `${ExecutionStatusAttribute.name} = 'completed'`,
  [ExecutionStatus.Failed]: `(${ExecutionStatusAttribute.name} = 'failed' OR ExecutionStatus = 'Failed' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut')`,
  [ExecutionStatus.Cancelled]: `(${ExecutionStatusAttribute.name} = 'cancelled' OR ExecutionStatus = 'Canceled')`,
  [ExecutionStatus.Joined]: `${ExecutionStatusAttribute.name} = 'joined'`,
  [ExecutionStatus.OverBudget]: `${ExecutionStatusAttribute.name} = 'over-budget'`,
};

/** Cursors open only the listing (same filters) they came from: anything else is a 400 naming `cursor`. */
const CURSORS = listingTokens('execution', { request: 'cursor', answer: 'nextCursor', rule: 'cursor' });

const NOT_AWAITING = `(${ExecutionStatusAttribute.name} != 'waiting-approval' OR ExecutionStatus != 'Running')`;


function isoOf(timestamp: Timestamp): string | undefined {
  if (!timestamp || timestamp.seconds === undefined || timestamp.seconds === null) return undefined;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6)).toISOString();
}

/**
 * `GET /v1/executions`: this deployment's runbook executions (its task queue) through Temporal
 * visibility, from the search attributes and memo each run publishes (workflows/runbook.ts).
 * Running executions come first, newest first, then finished ones, most recently ended first.
 */
@Injectable()
export class ExecutionListService {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(RUNBOOK_CATALOG) private readonly catalog: ReadonlyMap<string, RunbookDefinition>,
  ) {}

  async list(filters: ListExecutionsQuery): Promise<ExecutionPage> {
    const query = this.queryOf(filters);
    const response = await this.temporal.call('listing executions', () =>
      this.temporal.connection.workflowService.listWorkflowExecutions({
        namespace: this.temporal.namespace,
        query,
        pageSize: filters.limit,
        nextPageToken: filters.cursor ? CURSORS.open(query, filters.cursor) : undefined,
      }),
    );
    const token = response.nextPageToken?.length ? CURSORS.seal(query, response.nextPageToken) : null;
    return { executions: response.executions.map((execution) => this.itemOf(execution)), nextCursor: token };
  }

  private queryOf({ runbook, status, incidentId, awaitingApproval }: ListExecutionsQuery): string {
    if (awaitingApproval !== undefined && status !== undefined && (awaitingApproval === 'true') !== (status === ExecutionStatus.WaitingApproval)) {
      const message = `awaitingApproval=${awaitingApproval} contradicts status=${status}: awaiting approval is status waiting-approval`;
      throw new ValidationFailedError([{ path: ['awaitingApproval'], rule: 'contradicts_status', message }]);
    }
    const clauses = [`WorkflowType = 'runbookWorkflow'`, onTaskQueue(this.temporal.taskQueue)];
    if (runbook !== undefined) clauses.push(`${ExecutionRunbookAttribute.name} = ${visibilityLiteral(runbook)}`);
    if (incidentId !== undefined) clauses.push(`${ExecutionIncidentAttribute.name} = ${visibilityLiteral(incidentId)}`);
    if (awaitingApproval === 'true') clauses.push(STATUS_CLAUSE[ExecutionStatus.WaitingApproval]);
    else if (status !== undefined) clauses.push(STATUS_CLAUSE[status]);
    if (awaitingApproval === 'false') clauses.push(NOT_AWAITING);
    return clauses.join(' AND ');
  }

  private itemOf(execution: WorkflowExecutionInfo): ExecutionListItem {
    const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
    const memo: Partial<ExecutionMemo> & { runbookId?: string } = Object.fromEntries(
      Object.entries(execution.memo?.fields ?? {}).map(([name, payload]) => [name, defaultPayloadConverter.fromPayload(payload)]),
    );
    const runbookId = attributes.get(ExecutionRunbookAttribute) ?? memo.runbookId ?? 'unknown';
    const status = this.statusOf(execution.status ?? 0, attributes.get(ExecutionStatusAttribute));
    const endedAt = isoOf(execution.closeTime);
    return {
      id: execution.execution?.workflowId ?? '',
      runbookId,
      title: memo.title ?? this.catalog.get(runbookId)?.title ?? runbookId,
      status,
      ...(memo.dryRun !== undefined ? { dryRun: memo.dryRun } : {}),
      ...(attributes.get(ExecutionIncidentAttribute) ? { incidentId: attributes.get(ExecutionIncidentAttribute) } : {}),
      ...(memo.launchedBy !== undefined ? { launchedBy: memo.launchedBy } : {}),
      startedAt: isoOf(execution.startTime) ?? new Date(0).toISOString(),
      ...(endedAt ? { endedAt } : {}),
      pendingApproval: status === ExecutionStatus.WaitingApproval ? (memo.pendingApproval ?? null) : null,
    };
  }

  /** The run's published status; for a run stopped from outside (or from before runs published one), its workflow's. */
  private statusOf(temporalStatus: number, published: string | undefined): ExecutionStatus {
    if (temporalStatus === TEMPORAL.running) return (published as ExecutionStatus | undefined) ?? ExecutionStatus.Running;
    if (published !== undefined && !ACTIVE.has(published)) return published as ExecutionStatus;
    if (temporalStatus === TEMPORAL.completed) return ExecutionStatus.Completed;
    if (temporalStatus === TEMPORAL.canceled) return ExecutionStatus.Cancelled;
    return ExecutionStatus.Failed;
  }
}
