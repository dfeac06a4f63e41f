/**
 * Where an alert's first-action latency goes, read back from the workflow's history: the
 * server stamps each event with this machine's clock, which {@link now} shares.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { now } from './clock';
import { summarize, type Summary } from './stats';

const EventType = temporal.api.enums.v1.EventType;

/** Milliseconds spent in each phase between sending and the first action. */
export interface Phases {
  /** Sending → the server records the start: client, API, Temporal call, persistence. */
  start: number;
  /** Start recorded → a worker picks up the first workflow task. */
  dispatch: number;
  /** The first workflow task, on the worker (picked up → completed). */
  task: number;
  /** First task completed → the activity's first line runs. */
  action: number;
}

export type PhaseSummaries = Record<keyof Phases, Summary>;

/**
 * How far the wall clock (`Date.now()`, what the server stamps events with) runs ahead of
 * {@link now}, to a few microseconds: read at the instant `Date.now()` ticks over.
 */
export function wallClockSkew(): number {
  const before = Date.now();
  let tick = Date.now();
  while (tick === before) tick = Date.now();
  return tick - now();
}

/**
 * The phases of one sample: `sentAt` and `actedAt` in the driver's clock ({@link now}),
 * `skew` from {@link wallClockSkew}.
 */
export async function phasesOf(client: Client, workflowId: string, sentAt: number, actedAt: number, skew: number): Promise<Phases> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const at = (type: temporal.api.enums.v1.EventType) => {
    const event = events?.find((candidate) => candidate.eventType === type);
    if (!event?.eventTime) throw new Error(`${workflowId} has no ${EventType[type]} event`);
    return Number(event.eventTime.seconds) * 1000 + (event.eventTime.nanos ?? 0) / 1e6 - skew;
  };
  const started = at(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
  const taskStarted = at(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const taskCompleted = at(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  return { start: started - sentAt, dispatch: taskStarted - started, task: taskCompleted - taskStarted, action: actedAt - taskCompleted };
}

export function summarizePhases(samples: Phases[]): PhaseSummaries {
  const of = (key: keyof Phases) => summarize(samples.map((sample) => sample[key]));
  return { start: of('start'), dispatch: of('dispatch'), task: of('task'), action: of('action') };
}
