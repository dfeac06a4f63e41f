/**
 * Delivers a dedup key's alerts to its incident workflow in one Temporal call: the API does
 * it for the alerts it receives, and an alert queue's recovery does it for alerts whose
 * API process died before delivering them. Redelivery is harmless: the incident records
 * each receipt id once, and a retried call reuses its update id.
 */
import {
  ApplicationFailure,
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { ReceivedAlert } from '../core/model/alert';
import { IncidentFailure, type IncidentTemplate, type IncidentWorkflow, type OpenIncidentInput, type QueuedAlert } from '../core/model/incident';
import { ingestAlertsUpdate } from '../core/model/messages';
import { goesFirst, type IncidentStatus } from '../core/model/incident-model';
import { isOpen } from '../core/model/incident/state-machine';
import { IncidentStatusAttribute, listedStart } from '../core/model/search-attributes';
import { incidentIdFor } from './incident-ids';
import { withUpdateRetry } from './update-retry';

/**
 * Rounds of "attempt, then find the key's current generation" before giving up: each round
 * lands on a later generation, so only incidents resolved faster than a round trip, again
 * and again, could exhaust it.
 */
const MAX_GENERATION_ROUNDS = 20;

export type DeliveryOutcome =
  | { status: 'recorded'; incidentId: string; generation: number }
  /** Resolved alerts with no open incident: nothing to resolve. */
  | { status: 'ignored' };

export interface DeliveryOptions {
  client: Client;
  taskQueue: string;
  /** The id of this delivery's update: the same delivery retried is recorded once. */
  updateId: string;
  /** The key's generation to try first (a hint; a later current one is found by searching). */
  firstGeneration?: number;
  /** Runs each Temporal call; the API puts its deadline here. */
  call?: <T>(operation: string, fn: () => Promise<T>) => Promise<T>;
}

const direct = <T>(_operation: string, fn: () => Promise<T>) => fn();

/**
 * Records `alerts` (one dedup key, in order) on the key's open incident, opening the next
 * incident when the latest one is resolved and an alert fires.
 */
export async function deliverAlerts(dedupKey: string, alerts: QueuedAlert[], options: DeliveryOptions): Promise<DeliveryOutcome> {
  const received = alerts.map((queued) => queued.alert);
  const firing = alerts.find((queued) => queued.alert.alert.status === 'firing')?.template;
  let generation = options.firstGeneration ?? 1;
  for (let round = 0; round < MAX_GENERATION_ROUNDS; round++) {
    const incidentId = incidentIdFor(dedupKey, generation);
    const outcome = firing
      ? await recordOrOpen(incidentId, received, firing, options)
      : await recordIfOpen(incidentId, received, options);
    if (outcome !== 'next-generation') {
      return outcome === 'ignored' ? { status: 'ignored' } : { status: 'recorded', incidentId, generation };
    }
    generation = await currentGeneration(generation + 1, (candidate) => isPast(incidentIdFor(dedupKey, candidate), options));
  }
  throw new Error(`dedup key's incidents were resolved faster than alerts could reach them ${MAX_GENERATION_ROUNDS} times in a row`);
}

/**
 * The first generation from `from` on that `isPast` says is not past. A key's generations
 * are contiguous (1..N resolved or closed, then the open one or none yet), so `isPast` is
 * true up to some N and false after: probing `from`, `from + 1`, `from + 2`, `from + 4`, …
 * then bisecting finds N + 1 in about 2·log2(N + 1 - from) probes, however many incidents
 * the key has had.
 */
export async function currentGeneration(from: number, isPast: (generation: number) => Promise<boolean>): Promise<number> {
  if (!(await isPast(from))) return from;
  let past = from;
  let step = 1;
  let notPast = from + step;
  while (await isPast(notPast)) {
    past = notPast;
    step *= 2;
    notPast = from + step;
  }
  while (notPast - past > 1) {
    const middle = past + Math.floor((notPast - past) / 2);
    if (await isPast(middle)) past = middle;
    else notPast = middle;
  }
  return notPast;
}

/**
 * Whether the incident is behind its key's current one: closed, or running but resolved.
 * One that does not exist is not (it is the next to open); a running one whose status is
 * not listed yet counts as current, and the attempt on it says otherwise if it must.
 */
async function isPast(incidentId: string, options: DeliveryOptions): Promise<boolean> {
  const call = options.call ?? direct;
  try {
    const description = await call('finding an incident', () => options.client.workflow.getHandle(incidentId).describe());
    if (description.status.name !== 'RUNNING') return true;
    const status = description.typedSearchAttributes.get(IncidentStatusAttribute) as IncidentStatus | undefined;
    return status !== undefined && !isOpen(status);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

type Attempt = 'recorded' | 'ignored' | 'next-generation';

/** Records the alerts on the incident, opening it if it does not exist yet. */
async function recordOrOpen(incidentId: string, alerts: ReceivedAlert[], template: IncidentTemplate, options: DeliveryOptions): Promise<Attempt> {
  const open: OpenIncidentInput = { ...template, incidentId };
  const call = options.call ?? direct;
  try {
    // The same update id on every attempt: an incident continuing as new takes it once.
    await withUpdateRetry(() =>
      call('recording an alert', () =>
        options.client.workflow.executeUpdateWithStart(ingestAlertsUpdate, {
          args: [{ alerts }],
          updateId: options.updateId,
          startWorkflowOperation: new WithStartWorkflowOperation<IncidentWorkflow>('incidentWorkflow', {
            workflowId: incidentId,
            taskQueue: options.taskQueue,
            workflowIdConflictPolicy: 'USE_EXISTING',
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            ...listedStart(open),
          }),
        }),
      ),
    );
    return 'recorded';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError || isNotOpen(error)) return 'next-generation';
    throw error;
  }
}

/** Records resolved alerts on the key's running incident; with none, there is nothing to resolve. */
async function recordIfOpen(incidentId: string, alerts: ReceivedAlert[], options: DeliveryOptions): Promise<Attempt> {
  const call = options.call ?? direct;
  const handle = options.client.workflow.getHandle(incidentId);
  let running: boolean;
  try {
    running = (await call('finding an incident', () => handle.describe())).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
  if (!running) return 'next-generation';
  try {
    await withUpdateRetry(() => call('recording an alert', () => handle.executeUpdate(ingestAlertsUpdate, { args: [{ alerts }], updateId: options.updateId })));
    return 'recorded';
  } catch (error) {
    // Closed while the resolved alert was on its way: nothing left to resolve.
    if (error instanceof WorkflowNotFoundError) return 'ignored';
    throw error;
  }
}

function isNotOpen(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === IncidentFailure.NotOpen
  );
}

/**
 * A queue's alerts by dedup key in the order to deliver them: keys with a SEV0–SEV1 alert
 * first, then the others, each group in the order its keys first appear; each key's alerts
 * in the order they were received.
 */
export function inDeliveryOrder(alerts: QueuedAlert[]): Array<[string, QueuedAlert[]]> {
  const keys = [...byDedupKey(alerts)];
  const urgent = ([, queued]: [string, QueuedAlert[]]) => queued.some((entry) => goesFirst(entry.template.severity));
  return [...keys.filter(urgent), ...keys.filter((key) => !urgent(key))];
}

/** A queue's alerts by dedup key, each key's in the order they were received. */
function byDedupKey(alerts: QueuedAlert[]): Map<string, QueuedAlert[]> {
  const keys = new Map<string, QueuedAlert[]>();
  for (const queued of alerts) {
    const key = queued.alert.alert.dedupKey;
    const list = keys.get(key);
    if (list) list.push(queued);
    else keys.set(key, [queued]);
  }
  return keys;
}
