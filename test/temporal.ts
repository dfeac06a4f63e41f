import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../core/model/search-attributes';

/** Environment variables through which global-setup hands the shared server to test files. */
export const TEST_ENV = {
  binary: 'FIREBREAK_TEMPORAL_BIN',
  address: 'FIREBREAK_TEST_TEMPORAL_ADDRESS',
  bundle: 'FIREBREAK_TEST_WORKFLOW_BUNDLE',
} as const;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: run tests through jest (test/global-setup.ts sets it)`);
  return value;
}

/**
 * A Temporal dev server of the project's own binary, with Firebreak's search attributes: the
 * run's shared one (test/global-setup.ts), or one a test keeps to itself when what other files
 * leave on the shared server (their workflows, whose workers are gone) would reach it.
 */
export async function startTemporalDevServer(binary = required(TEST_ENV.binary)): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binary },
      ip: '127.0.0.1',
      searchAttributes: [...SEARCH_ATTRIBUTES],
    },
  });
}

/** The address of the run's shared Temporal dev server. */
export const sharedTemporalAddress = () => required(TEST_ENV.address);

/** The workflow code bundled once for the whole run. */
export const workflowBundle = () => ({ codePath: required(TEST_ENV.bundle) });

/** A task queue no other test uses. */
export const uniqueTaskQueue = (label: string) => `test-${label}-${randomUUID().slice(0, 8)}`;

/**
 * A worker of the run's workflow bundle on a task queue of its own, and a client, for a whole
 * describe block: started before its tests, stopped after them. Its fields are set once it
 * has started, so read them in tests and hooks. `activities` builds the worker's activities
 * (none by default) with the client.
 */
export function useTestWorker(label: string, activities?: (client: Client) => object): { client: Client; taskQueue: string } {
  const started = {} as { client: Client; taskQueue: string };
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    started.client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    started.taskQueue = uniqueTaskQueue(label);
    connection = await NativeConnection.connect({ address: sharedTemporalAddress() });
    worker = await Worker.create({
      connection,
      taskQueue: started.taskQueue,
      workflowBundle: workflowBundle(),
      ...(activities ? { activities: activities(started.client) } : {}),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await started.client?.connection.close();
  });
  return started;
}

/** A private Temporal dev server (same binary) for tests that stop or restart it. */
export function startPrivateTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: required(TEST_ENV.binary) },
      ip: '127.0.0.1',
      searchAttributes: [...SEARCH_ATTRIBUTES],
    },
  });
}

/**
 * The listing writes in a run's history: each search-attribute upsert of Firebreak's
 * attributes, decoded (the SDK's own `TemporalChangeVersion` upserts for patches left out).
 */
export async function listingUpserts(client: Client, workflowId: string, runId?: string): Promise<Array<Record<string, unknown>>> {
  const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const upserts: Array<Record<string, unknown>> = [];
  for (const event of events ?? []) {
    if (event.eventType !== temporal.api.enums.v1.EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES) continue;
    const fields = Object.entries(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).filter(([name]) =>
      name.startsWith('Firebreak'),
    );
    if (fields.length === 0) continue;
    upserts.push(Object.fromEntries(fields.map(([name, payload]) => [name, JSON.parse(Buffer.from(payload.data ?? []).toString('utf8'))])));
  }
  return upserts;
}

/** Timers a workflow started and did not cancel or fire: what is still pending. */
export async function pendingTimers(client: Client, workflowId: string): Promise<number> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const open = new Set<string>();
  for (const event of events ?? []) {
    if (event.timerStartedEventAttributes) open.add(event.timerStartedEventAttributes.timerId!);
    if (event.timerFiredEventAttributes) open.delete(event.timerFiredEventAttributes.timerId!);
    if (event.timerCanceledEventAttributes) open.delete(event.timerCanceledEventAttributes.timerId!);
  }
  return open.size;
}
