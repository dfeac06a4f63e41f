import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type FirebreakActivities } from '../activities';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { localIntegrations } from '../core/schemas/integrations-config';
import { STATUS_PAGE_BOUNDS } from '../core/model/status-page-bounds';
import { utf8Bytes } from '../core/model/text';
import { STATUS_PAGE_WORKFLOW_TYPE, type StatusPageState, statusPageQuery, statusPageWorkflowId } from '../core/model/status-page-messages';
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
    expect(snapshot.activeIncidents[0].earlierUpdates).toBe(0);
    expect(snapshot.components).toEqual([{ name: 'API', status: 'partial_outage', updatedAt: expect.any(String) }]);
  });
  it('stays bounded and truthful through hundreds of maximum-size updates, across continue-as-new', async () => {
    const workflowId = statusPageWorkflowId(taskQueue);
    const first = await client.workflow.start(STATUS_PAGE_WORKFLOW_TYPE, { workflowId, taskQueue, args: [{ historyLimit: 120 }] });
    // Any length is taken: a title and messages far over the bounds are cut, never refused.
    const huge = (label: string) => `${label} ${'é'.repeat(20_000)}`;
    const opened = await onWorker().run(activities.statusPageOpenIncident, {
      idempotencyKey: 'inc-big/open',
      incidentId: 'inc-big',
      title: huge('Checkout degraded'),
      message: huge('Looking.'),
      components: { Checkout: 'partial_outage' },
    });
    const updates = 300;
    for (let i = 0; i < updates; i += 1) {
      await onWorker().run(activities.statusPageUpdateIncident, {
        idempotencyKey: `inc-big/u${i}`,
        statusIncidentId: opened.id,
        status: 'monitoring',
        message: huge(`update ${i}`),
      });
    }
    const { runId } = await client.workflow.getHandle(workflowId).describe();
    expect(runId).not.toBe(first.firstExecutionRunId);

    const snapshot = await page();
    expect(snapshot.overall).toBe('partial_outage');
    expect(snapshot.activeIncidents).toHaveLength(1);
    const [incident] = snapshot.activeIncidents;
    expect(incident.id).toBe(opened.id);
    expect(utf8Bytes(incident.title)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.titleBytes);
    expect(incident.title).toMatch(/^Checkout degraded é+…$/);
    expect(incident.updates).toHaveLength(STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    expect(incident.updates[0].message).toMatch(/^update 299 é+…$/);
    expect(incident.earlierUpdates).toBe(updates + 1 - STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    for (const update of incident.updates) expect(utf8Bytes(update.message)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.messageBytes);
    // Nothing internal: no Firebreak incident id in what the page shows.
    expect(JSON.stringify(snapshot)).not.toContain('inc-big');

    // The incident stays updatable and resolvable, and its earliest step is still remembered.
    await onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: 'inc-big/resolve', statusIncidentId: opened.id, status: 'resolved', message: 'Fixed.' });
    const resolved = await page();
    expect(resolved.overall).toBe('operational');
    expect(resolved.resolvedIncidents[0].updates).toHaveLength(STATUS_PAGE_BOUNDS.updatesPerResolvedIncident);
    expect(await onWorker().run(activities.statusPageOpenIncident, { idempotencyKey: 'inc-big/open', incidentId: 'inc-big', title: 'x', message: 'x' })).toEqual({
      ...opened,
      created: false,
    });
  });

  it('refuses, for good and without applying anything, an incident or component past the bounds', async () => {
    const open = (i: number, components = {}) =>
      onWorker().run(activities.statusPageOpenIncident, { idempotencyKey: `inc-${i}/open`, incidentId: `inc-${i}`, title: `Incident ${i}`, message: 'Looking.', components });
    const ids: string[] = [];
    for (let i = 0; i < STATUS_PAGE_BOUNDS.activeIncidents; i += 1) ids.push((await open(i)).id);
    await expectFailure(open(999, { Search: 'major_outage' }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /already shows 20 unresolved incidents/,
    });
    let snapshot = await page();
    expect(snapshot.activeIncidents).toHaveLength(STATUS_PAGE_BOUNDS.activeIncidents);
    expect(snapshot.components).toEqual([]);
    // An unresolved incident naming no component still keeps the page off "operational".
    expect(snapshot.overall).toBe('degraded_performance');

    await onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: 'inc-0/resolve', statusIncidentId: ids[0], status: 'resolved', message: 'Fixed.' });
    expect((await open(999)).created).toBe(true);

    for (let i = 0; i < STATUS_PAGE_BOUNDS.components; i += 1) {
      await onWorker().run(activities.statusPageSetComponentStatus, { idempotencyKey: `c${i}`, component: `component-${i}`, status: 'operational' });
    }
    await expectFailure(
      onWorker().run(activities.statusPageSetComponentStatus, { idempotencyKey: 'c-extra', component: 'one-too-many', status: 'major_outage' }),
      { type: CapabilityFailure.OutOfBounds, nonRetryable: true, message: /knows 100 components/ },
    );
    snapshot = await page();
    expect(snapshot.components).toHaveLength(STATUS_PAGE_BOUNDS.components);
    expect(snapshot.components.map((component) => component.name)).not.toContain('one-too-many');
  });

  it('brings a state carried from before the bounds within them', async () => {
    const at = new Date().toISOString();
    const state: StatusPageState = {
      nextId: 3,
      components: { API: { status: 'major_outage', updatedAt: at } },
      incidents: [
        {
          id: 'SP-1',
          incidentId: 'inc-old',
          title: `Old ${'t'.repeat(5_000)}`,
          status: 'investigating',
          createdAt: at,
          updatedAt: at,
          components: { API: 'major_outage' },
          updates: Array.from({ length: 80 }, (_, i) => ({ at, status: 'investigating' as const, message: `${i} ${'m'.repeat(5_000)}` })),
        },
      ],
      applied: Array.from({ length: 6_000 }, (_, i) => [`key-${i}`, 'SP-1'] as [string, string]),
    };
    await client.workflow.start(STATUS_PAGE_WORKFLOW_TYPE, { workflowId: statusPageWorkflowId(taskQueue), taskQueue, args: [{ state }] });
    const snapshot = await page();
    const [incident] = snapshot.activeIncidents;
    expect(incident.updates).toHaveLength(STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    expect(incident.earlierUpdates).toBe(80 - STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    expect(utf8Bytes(incident.title)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.titleBytes);
    expect(snapshot.overall).toBe('major_outage');
    // The newest keys are still remembered.
    await onWorker().run(activities.statusPageUpdateIncident, { idempotencyKey: 'key-5999', statusIncidentId: 'SP-1', status: 'resolved', message: 'x' });
    expect((await page()).activeIncidents).toHaveLength(1);
  });
});
