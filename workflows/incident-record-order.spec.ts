/**
 * Nothing comes before paging someone: an incident's first write to the record goes out
 * only once its first page has been sent (its level's people resolved), never in the same
 * workflow task as the page, so the write competes with none of it.
 */
import { Client, Connection } from '@temporalio/client';
import { RecordStore } from '../record/store';
import { recordServerKinds, type RecordTestServer } from '../record/testing/servers';
import { pagedIncidentInput } from '../test/incident-input';
import { sharedTemporalAddress, uniqueTaskQueue } from '../test/temporal';
import { firebreakWorkerFromEnv, quietTemporalRuntime } from '../test/vendors/temporal-worker';
import { waitFor } from '../test/wait';
import { CURRENT_PATHS_PATCH } from './compat';
import type { incidentWorkflow } from './incident/incident.workflow';

quietTemporalRuntime();

describe('the incident record and the first page', () => {
  let client: Client;
  let server: RecordTestServer;
  let store: RecordStore;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    server = await recordServerKinds()[0].start();
    store = RecordStore.connect(server.url, { retryAfterSeconds: 1 });
  }, 120_000);
  afterAll(async () => {
    await client?.connection.close();
    await store?.close();
    await server?.stop();
  });

  it('writes the incident to the record after its first page, in a workflow task of its own', async () => {
    const taskQueue = uniqueTaskQueue('record-order');
    const { worker, connection } = await firebreakWorkerFromEnv({ TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: server.url });
    const incidentId = `inc-${taskQueue}`;
    const open = pagedIncidentInput(incidentId, `checkout-${taskQueue}`, { name: 'ladder', levels: [{ targets: ['alice'], timeoutSeconds: 3600 }], repeat: 0 });
    const history = await worker.runUntil(async () => {
      const handle = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', { workflowId: incidentId, taskQueue, args: [open] });
      await waitFor('the incident in the record', async () => (await store.readIncident(incidentId).catch(() => undefined)) !== undefined, { timeoutMs: 60_000 });
      const fetched = await handle.fetchHistory();
      await handle.terminate('test over');
      return fetched;
    });
    await connection.close();

    const events = history.events ?? [];
    const scheduled = (type: string) =>
      events.findIndex((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === type);
    const page = scheduled('oncallResolve');
    const write = scheduled('recordIncident');
    expect(page).toBeGreaterThan(-1);
    expect(write).toBeGreaterThan(page);
    const pageScheduledId = events[page].eventId?.toString();
    const pageDone = events.findIndex((event) => event.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() === pageScheduledId);
    expect(pageDone).toBeGreaterThan(page);
    // The write went out in a later workflow task than the page: after the page's outcome came back.
    expect(write).toBeGreaterThan(pageDone);
    const patches = events.flatMap((event) =>
      (event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((payload) => (JSON.parse(Buffer.from(payload.data!).toString()) as { id: string }).id),
    );
    // A new run takes every path of its day under one marker, and so one TemporalChangeVersion write.
    expect(patches).toEqual([CURRENT_PATHS_PATCH]);
    const versionWrites = events.filter((event) => event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect(versionWrites).toHaveLength(1);
  }, 120_000);
});
