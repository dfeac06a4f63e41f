/**
 * Paging that fails for good: the incident workflow, on a worker whose paging provider is
 * PagerDuty (a stub), raises an alarm on the timeline, pages through the built-in pager, and
 * keeps escalating.
 */
import { Client, Connection } from '@temporalio/client';
import type { IncidentSnapshot } from '../core/model/incident';
import { incidentQuery } from '../core/model/messages';
import { pagedIncidentInput } from '../test/incident-input';
import { sharedTemporalAddress, uniqueTaskQueue } from '../test/temporal';
import { pagerDutySettings, startPagerDutyStub } from '../test/vendors/pagerduty';
import { firebreakWorkerFromEnv, quietTemporalRuntime } from '../test/vendors/temporal-worker';
import { waitFor } from '../test/wait';
import type { incidentWorkflow } from './incident/incident.workflow';

quietTemporalRuntime();

describe('incident paging when the provider refuses for good', () => {
  let client: Client;
  let pagerduty: Awaited<ReturnType<typeof startPagerDutyStub>>;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => client.connection.close());
  beforeEach(async () => {
    pagerduty = await startPagerDutyStub();
  });
  afterEach(() => pagerduty.stub.stop());

  it('raises an alarm, pages the fallback through the built-in pager, and still escalates', async () => {
    const taskQueue = uniqueTaskQueue('paging-fallback');
    const env = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...pagerDutySettings(pagerduty.stub.url) };
    // PagerDuty refuses level 1's page (400: not retried), then accepts.
    pagerduty.stub.fail('enqueue', { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Service is disabled'] } });
    const { worker, connection } = await firebreakWorkerFromEnv(env);
    const incidentId = `inc-${taskQueue}`;
    const open = pagedIncidentInput(incidentId, `checkout-${taskQueue}`, {
      name: 'pd-ladder',
      levels: [
        { targets: ['alice'], timeoutSeconds: 1 },
        { targets: ['bob'], timeoutSeconds: 3600 },
      ],
      repeat: 0,
      fallback: ['ops-duty-phone'],
    });
    const incident = await worker.runUntil(async () => {
      const handle = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', { workflowId: incidentId, taskQueue, args: [open] });
      const escalated = await waitFor('level 2 to be paged', async () => {
        const snapshot: IncidentSnapshot = await handle.query(incidentQuery);
        return snapshot.timeline.some((entry) => entry.summary.startsWith('Paged bob (level 2')) ? snapshot : undefined;
      });
      await handle.terminate('test over');
      return escalated;
    });
    await connection.close();

    const notifications = incident.timeline.filter((entry) => entry.kind === 'notification');
    expect(notifications.map((entry) => entry.summary)).toEqual([
      expect.stringMatching(
        /^ALARM: paging failed \(level 1, policy pd-ladder\): .*HTTP 400: Event object is invalid; Service is disabled.*\. Paging ops-duty-phone through the built-in pager\.$/,
      ),
      'Paged ops-duty-phone through the fallback pager (level 1, policy pd-ladder)',
      'Paged bob (level 2, policy pd-ladder)',
    ]);
    expect(notifications[0].details).toMatchObject({ alarm: 'paging-failed', level: 1, round: 1 });
    expect(notifications[1].details).toMatchObject({ provider: 'local', fallback: true, targets: ['ops-duty-phone'] });
    expect(notifications[2].details).toMatchObject({ provider: 'pagerduty', level: 2 });
    // PagerDuty heard the refused page and level 2's, never the fallback.
    expect(pagerduty.stub.calls('enqueue').map((call) => call.body.payload.custom_details.escalation_level)).toEqual([1, 2]);
    expect(pagerduty.stub.count('alert.open')).toBe(1);
  }, 60_000);
});
