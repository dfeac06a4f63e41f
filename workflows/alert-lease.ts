import { condition, continueAsNew, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  alertLeaseBeatSignal,
  alertQueueId,
  alertQueueRecoverSignal,
  leasedQueues,
  type AlertLeaseBeat,
  type AlertLeaseInput,
  type AlertLeaseResult,
} from '../core/model/alert-lease';

/** History a lease keeps before continuing as new: beats are small and many. */
const MAX_HISTORY_EVENTS = 2_000;
const MAX_HISTORY_BYTES = 2_000_000;

/**
 * One API process's liveness, for the alert queues it delivers itself. The process beats
 * (a signal every quarter of `silenceMs`, only while it holds queues), each beat saying
 * which queues it holds. When no beat comes for `silenceMs`, the process is gone: the lease
 * tells each of those queues to deliver its alerts now, and ends. One signal per process
 * per beat, however many queues it holds.
 */
export async function alertLeaseWorkflow({ silenceMs, beat }: AlertLeaseInput): Promise<AlertLeaseResult> {
  let last: AlertLeaseBeat = beat ?? { queues: [], unusedFrom: 1, through: 0 };
  let beaten = false;
  setHandler(alertLeaseBeatSignal, (next) => {
    last = next;
    beaten = true;
  });
  for (;;) {
    beaten = false;
    if (!(await condition(() => beaten, silenceMs))) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= MAX_HISTORY_EVENTS || info.historySize >= MAX_HISTORY_BYTES) {
      await continueAsNew<typeof alertLeaseWorkflow>({ silenceMs, beat: last });
    }
  }
  // A beat that lands while the queues are being told (the process was only slow) adds
  // the queues it names: each is told once.
  const told = new Set<number>();
  const leaseId = workflowInfo().workflowId;
  for (let pending = leasedQueues(last); pending.length > 0; pending = leasedQueues(last).filter((seq) => !told.has(seq))) {
    for (const seq of pending) told.add(seq);
    // A queue already delivered, or a number never used, has no running workflow: nothing to tell.
    await Promise.all(
      pending.map((seq) => getExternalWorkflowHandle(alertQueueId(leaseId, seq)).signal(alertQueueRecoverSignal).catch(() => undefined)),
    );
  }
  return { told: told.size };
}
