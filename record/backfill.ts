/**
 * Rebuilds the record from what Temporal still holds: every incident and runbook execution
 * workflow its visibility lists (open, and closed within retention), each written as the
 * projection writes it. Idempotent: running it again, or beside the live projection, leaves
 * the same rows (a write older than the row's is ignored).
 */
import { type Client, type WorkflowHandle } from '@temporalio/client';
import type { ExecutionSnapshot } from '../core/model/execution';
import type { IncidentSnapshot } from '../core/model/incident';
import { executionQuery, incidentQuery } from '../core/model/messages';
import { executionRecordInput, incidentRecordInput } from './projection';
import type { RecordStore } from './store';

export interface BackfillResult {
  incidents: number;
  executions: number;
  /** Workflows whose state could not be read (closed without a result, and no worker to answer a query). */
  skipped: Array<{ workflowId: string; reason: string }>;
}

export interface BackfillOptions {
  /** More of a visibility query (`TaskQueue = 'firebreak'`, `StartTime > '2026-01-01T00:00:00Z'`), ANDed. */
  filter?: string;
  /** How long one workflow's query may take (a closed one needs a worker to answer). @default 5000 */
  queryTimeoutMs?: number;
  log?: (line: string) => void;
}

export async function backfillRecord(client: Client, store: RecordStore, { filter, queryTimeoutMs = 5_000, log = () => {} }: BackfillOptions = {}): Promise<BackfillResult> {
  const result: BackfillResult = { incidents: 0, executions: 0, skipped: [] };
  const listed = (type: string) => client.workflow.list({ query: `WorkflowType = '${type}'${filter ? ` AND (${filter})` : ''}` });
  /** A completed workflow's result, else its query's answer, within the deadline. */
  const stateOf = <T>(handle: WorkflowHandle, status: string, query: () => Promise<T>): Promise<T> =>
    status === 'COMPLETED' ? (handle.result() as Promise<T>) : client.connection.withDeadline(Date.now() + queryTimeoutMs, query);
  await store.ensureReady();
  for await (const workflow of listed('incidentWorkflow')) {
    const handle = client.workflow.getHandle(workflow.workflowId);
    try {
      const snapshot = await stateOf<IncidentSnapshot>(handle, workflow.status.name, () => handle.query(incidentQuery));
      await store.recordIncident(incidentRecordInput(snapshot, 0, true));
      result.incidents += 1;
    } catch (error) {
      result.skipped.push({ workflowId: workflow.workflowId, reason: error instanceof Error ? error.message : String(error) });
    }
    if ((result.incidents + result.skipped.length) % 500 === 0) log(`${result.incidents} incidents recorded so far`);
  }
  for await (const workflow of listed('runbookWorkflow')) {
    const handle = client.workflow.getHandle(workflow.workflowId, workflow.runId);
    try {
      const snapshot = await stateOf<ExecutionSnapshot>(handle, workflow.status.name, () => handle.query(executionQuery));
      // The history's length grows with every change the workflow makes: the write's revision.
      await store.recordExecution(executionRecordInput(snapshot, workflow.historyLength));
      result.executions += 1;
    } catch (error) {
      result.skipped.push({ workflowId: workflow.workflowId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
