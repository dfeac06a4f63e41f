/** The baseline workflows' messages: what a raw `@temporalio/client` script would define. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** Records one delivery (an alert's payload); answers how many the workflow holds. */
export const baselineIngestUpdate = defineUpdate<number, [unknown]>('ingest');
export const baselineCountQuery = defineQuery<number>('count');
export const baselineDoneSignal = defineSignal('done');

/** The bench-only worker's task queue: never Firebreak's. */
export const BASELINE_TASK_QUEUE = 'bench-baseline';

export interface BaselineInput {
  /** What the activity's timing mark is keyed by. */
  key: string;
  /** No-op activities to run in order (a runbook's steps); 1 by default. */
  steps?: number;
  /** Wait for the `done` signal after the steps (an entity, like an incident) instead of returning. */
  stayOpen?: boolean;
}

export interface BaselineStepInput {
  key: string;
  step: number;
}
