/**
 * Running a shipped runbook end to end on the real worker (built from settings as in
 * production) against vendor stubs or moto: one task queue per run, the run's workflow id
 * returned with its execution so tests can check the idempotency keys vendors received.
 */
import type { Client } from '@temporalio/client';
import type { ExecutionSnapshot } from '../../core/model/execution';
import { executionQuery } from '../../core/model/messages';
import type { runbookWorkflow } from '../../workflows/runbook';
import { sharedTemporalAddress, uniqueTaskQueue } from '../temporal';
import { firebreakWorkerFromEnv } from '../vendors/temporal-worker';

export interface RunbookRunOnWorker {
  execution: ExecutionSnapshot;
  workflowId: string;
}

/** Runs `runbookId` with `input` (no incident) on a worker configured by `settings`, to its end, failed or not. */
export async function runOnRealWorker(
  client: Client,
  settings: Record<string, string>,
  runbookId: string,
  input: Record<string, unknown>,
): Promise<RunbookRunOnWorker> {
  const taskQueue = uniqueTaskQueue(runbookId);
  const workflowId = `rbx-${taskQueue}`;
  const { worker, connection } = await firebreakWorkerFromEnv({ TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...settings });
  try {
    const handle = await client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
      taskQueue,
      workflowId,
      args: [{ runbookId, input, launchedBy: 'test', trigger: 'manual' }],
    });
    // A failed run fails its workflow; the execution it recorded is read by query then.
    const execution = await worker.runUntil(handle.result().catch(() => handle.query(executionQuery)));
    return { execution, workflowId };
  } finally {
    await connection.close();
  }
}

/** Each step of an execution as `[id, status]`. */
export const stepsOf = (execution: ExecutionSnapshot) => execution.steps.map((step) => [step.id, step.status]);
