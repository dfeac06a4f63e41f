/**
 * Bench-only workflows, bundled for the bench-only worker: the least a raw Temporal
 * application does for what Firebreak does. Deterministic code only.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';
import { baselineCountQuery, baselineDoneSignal, baselineIngestUpdate, type BaselineInput } from './messages';

// The same activity options as Firebreak's incident workflow.
const { baselineStep } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Counts deliveries (update), runs `steps` no-op activities, then ends or stays open until `done`. */
export async function baselineWorkflow({ key, steps = 1, stayOpen = false }: BaselineInput): Promise<number> {
  let count = 0;
  let done = false;
  setHandler(baselineIngestUpdate, () => ++count);
  setHandler(baselineCountQuery, () => count);
  setHandler(baselineDoneSignal, () => {
    done = true;
  });
  for (let step = 0; step < steps; step++) await baselineStep({ key, step });
  if (stayOpen) await condition(() => done);
  return count;
}
