import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type FirebreakActivities } from '../activities';
import { CapabilityFailure } from '../core/capabilities/common';
import { localIntegrations } from '../core/integrations-config';
import { STATUS_PAGE_WORKFLOW_TYPE, statusPageQuery, statusPageWorkflowId } from '../core/status-page-messages';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from '../test/temporal';
import { activityEnvironment, expectFailure } from '../test/vendors/activity';
import { waitFor } from '../test/wait';

describe('statusPageWorkflow (the local status page) driven by the local status-page activities', () => {
  let client: Client;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let taskQueue: string;
  let activities: FirebreakActivities;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    connection = await NativeConnection.connect({ address: sharedTemporalAddress() });
  });
  afterAll(async () => {
    await connection.close();
    await client.connection.close();
  });
  beforeEach(async () => {
    taskQueue = uniqueTaskQueue('status-page');
    activities = createActivities({ config: localIntegrations(), temporal: client });
    worker = await Worker.create({ connection, taskQueue, workflowBundle: workflowBundle(), activities });
    running = worker.run();
  });
  afterEach(async () => {
    worker.shutdown();
    await running;
  });

  // The activities run as they would on this worker: its task queue names the page.
  const onWorker = () => activityEnvironment({ taskQueue });
  const page = () => client.workflow.getHandle(statusPageWorkflowId(taskQueue)).query(statusPageQuery);

  it('starts on first use, applies each step once, resolves incidents and restores their components', async () => {
    const open = {
      idempotencyKey: 'inc-1/status-open',
      incidentId: 'inc-1',
      title: 'Checkout is slow',
      message: 'Investigating slow checkouts.',
      components: { Checkout: 'degraded_performance' as const },
    };
    const opened = await onWorker().run(activities.statusPageOpenIncident, open);
    expect(opened).toEqual({ id: 'SP-1', url: '/status#SP-1', created: true });
    expect(await onWorker().run(activities.statusPageOpenIncident, open)).toEqual({ ...opened, created: false });
    await onWorker().run(activities.statusPageSetComponentStatus, { idempotencyKey: 'inc-1/api', component: 'API', status: 'operational' });

    const update = { idempotencyKey: 'inc-1/identified', statusIncidentId: 'SP-1', status: 'identified' as const, message: 'Bad deploy.' };
    await onWorker().run(activities.statusPageUpdateIncident, update);
    await onWorker().run(activities.statusPageUpdateIncident, update);
    let snapshot = await page();
    expect(snapshot.overall).toBe('degraded_performance');
    expect(snapshot.activeIncidents).toHaveLength(1);
    expect(snapshot.activeIncidents[0].updates.map((u) => u.status)).toEqual(['identified', 'investigating']);

    await onWorker().run(activities.statusPageUpdateIncident, { ...update, idempotencyKey: 'inc-1/resolved', status: 'resolved', message: 'Rolled back.' });
    snapshot = await page();
    expect(snapshot.overall).toBe('operational');
    expect(snapshot.activeIncidents).toEqual([]);
    expect(snapshot.resolvedIncidents).toEqual([
      expect.objectContaining({ id: 'SP-1', status: 'resolved', resolvedAt: expect.any(String), components: { Checkout: 'operational' } }),
    ]);
    expect(snapshot.components).toEqual([
      { name: 'API', status: 'operational', updatedAt: expect.any(String) },
      { name: 'Checkout', status: 'operational', updatedAt: expect.any(String) },
    ]);

    await expectFailure(
      onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: 'x', statusIncidentId: 'SP-404', status: 'monitoring', message: 'x' }),
      { type: CapabilityFailure.Rejected, nonRetryable: true, message: /no status-page incident SP-404/ },
    );
  });

  it('continues as new before its history grows large, keeping its state and its memory of steps', async () => {
    const workflowId = statusPageWorkflowId(taskQueue);
    const first = await client.workflow.start(STATUS_PAGE_WORKFLOW_TYPE, { workflowId, taskQueue, args: [{ historyLimit: 40 }] });
    const opened = await onWorker().run(activities.statusPageOpenIncident, {
      idempotencyKey: 'inc-2/open',
      incidentId: 'inc-2',
      title: 'API errors',
      message: 'Looking.',
      components: { API: 'partial_outage' },
    });
    for (let i = 0; i < 12; i += 1) {
      await onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: `inc-2/u${i}`, statusIncidentId: opened.id, status: 'monitoring', message: `update ${i}` });
    }
    const runId = await waitFor('a new run', async () => {
      const { runId: latest } = await client.workflow.getHandle(workflowId).describe();
      return latest !== first.firstExecutionRunId ? latest : undefined;
    });
    expect(runId).not.toBe(first.firstExecutionRunId);
    // The new run remembers both the incident and which steps it already applied.
    expect(await onWorker().run(activities.statusPageOpenIncident, { idempotencyKey: 'inc-2/open', incidentId: 'inc-2', title: 'API errors', message: 'Looking.' })).toEqual({
      ...opened,
      created: false,
    });
    await onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: 'inc-2/u0', statusIncidentId: opened.id, status: 'monitoring', message: 'update 0' });
    const snapshot = await page();
    expect(snapshot.activeIncidents[0].updates).toHaveLength(13);
    expect(snapshot.components).toEqual([{ name: 'API', status: 'partial_outage', updatedAt: expect.any(String) }]);
  });
});
