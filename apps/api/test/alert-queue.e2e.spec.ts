/**
 * Alerts that would wait for a delivery slot are queued durably (one alert queue workflow
 * for many keys) and answered `queued`; each is still recorded exactly once, by the API or,
 * if the API process is gone, by its queue.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { genericDedupKey, incidentIdFor } from '../../../temporal-client/incident-ids';
import type { AlertQueueInput, AlertQueueResult } from '../../../core/model/incident';
import { TestFirebreak } from '../../../test/firebreak';
import type { HttpClient } from '../../../test/http';
import { sharedTemporalAddress } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

/** A generic alert's incident: its key namespaced by its source. */
const incidentOf = (key: string) => incidentIdFor(genericDedupKey('e2e', key), 1);
const alert = (dedupKey: string, summary: string) => ({ source: 'e2e', summary, status: 'firing', severity: 'warning', dedupKey, labels: {} });

describe('alerts queued during a storm', () => {
  let temporal: Client;
  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => temporal.connection.close());

  const queuesOf = async (taskQueue: string) => {
    const ids: string[] = [];
    const query = `WorkflowType = 'alertQueueWorkflow' AND TaskQueue = '${taskQueue}'`;
    for await (const execution of temporal.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  };

  const alertCount = async (api: HttpClient, incidentId: string) => {
    const answer = await api.get(`/v1/incidents/${incidentId}`);
    return answer.status === 200 ? (answer.body.alertCount as number) : undefined;
  };

  /** With the worker stopped, the one delivery slot stays taken by one key's alert: every other key's alert is queued. */
  async function takeTheOnlySlot(firebreak: TestFirebreak) {
    await firebreak.stopWorker();
    const api = firebreak.as('responder');
    // Incident ids come from dedup keys: each test has its own.
    const run = firebreak.taskQueue;
    const holder = api.post('/v1/alerts', alert(`${run}-slot`, 'holds the slot'));
    // Its incident exists (started, its update waiting for a worker) once it holds the slot.
    await waitFor('the first alert to take the slot', async () => Boolean(await temporal.workflow.getHandle(incidentOf(`${run}-slot`)).describe()));
    const keys = [1, 2, 3, 4, 5].map((n) => `${run}-q${n}`);
    const answers = await Promise.all(keys.flatMap((key) => [1, 2].map((n) => api.post('/v1/alerts', alert(key, `${key} alert ${n}`)))));
    return { holder, keys, answers, slotKey: `${run}-slot` };
  }

  it('answers queued when every slot is taken, then records each alert once and tells the queue', async () => {
    const firebreak = await TestFirebreak.start({ env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_ACK_TIMEOUT_MS: '60000' } });
    try {
      const { holder, keys, answers, slotKey } = await takeTheOnlySlot(firebreak);
      for (const answer of answers) {
        expect(answer.status).toBe(202);
        expect(answer.body).toMatchObject({ status: 'queued', incidentId: null, receiptId: expect.any(String) });
      }

      await firebreak.startWorker();
      expect((await holder).body).toMatchObject({ status: 'recorded', incidentId: incidentOf(slotKey) });
      const viewer = firebreak.as('viewer');
      for (const key of keys) {
        await waitFor(`both alerts of ${key} recorded`, async () => (await alertCount(viewer, incidentOf(key))) === 2);
      }

      // Each queue heard that the API delivered its alerts, so none delivered them again.
      const queues = await waitFor('the alert queues to be listed', async () => {
        const ids = await queuesOf(firebreak.taskQueue);
        return ids.length > 0 && ids;
      });
      for (const id of queues) {
        expect(await temporal.workflow.getHandle(id).result()).toEqual({ outcome: 'delivered' });
      }

      // A queue delivering alerts already recorded (its API died after delivering) records nothing twice.
      const history = await temporal.workflow.getHandle(queues[0]).fetchHistory();
      const input = defaultPayloadConverter.fromPayload<AlertQueueInput>(
        history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0],
      );
      const again = await temporal.workflow.execute('alertQueueWorkflow', {
        workflowId: `${queues[0]}-again`,
        taskQueue: firebreak.taskQueue,
        args: [{ alerts: input.alerts, recoverAfterMs: 1 } satisfies AlertQueueInput],
      });
      expect(again).toEqual({ outcome: 'recovered', recorded: input.alerts.length, ignored: 0 } satisfies AlertQueueResult);
      for (const key of keys) expect(await alertCount(viewer, incidentOf(key))).toBe(2);
    } finally {
      await firebreak.stop();
    }
  });

  it('delivers what a dead API acknowledged: the queue recovers it, once', async () => {
    const first = await TestFirebreak.start({
      env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_ACK_TIMEOUT_MS: '3000', ALERT_QUEUE_RECOVERY_MS: '1000' },
    });
    const { holder, keys, answers } = await takeTheOnlySlot(first);
    expect(answers.map((answer) => answer.body.status)).toEqual(keys.flatMap(() => ['queued', 'queued']));
    // The holder was never acknowledged (503 once its deadline passed); the API goes away
    // with the queued alerts still undelivered in its memory.
    expect((await holder).status).toBe(503);
    await first.stop();

    const second = await TestFirebreak.start({ taskQueue: first.taskQueue });
    try {
      const viewer = second.as('viewer');
      for (const key of keys) {
        await waitFor(`both alerts of ${key} recovered`, async () => (await alertCount(viewer, incidentOf(key))) === 2, {
          timeoutMs: 30_000,
        });
      }
      const queues = await waitFor('the alert queues to be listed', async () => {
        const ids = await queuesOf(first.taskQueue);
        return ids.length > 0 && ids;
      });
      const results = await Promise.all(queues.map((id) => temporal.workflow.getHandle(id).result() as Promise<AlertQueueResult>));
      expect(results.every((result) => result.outcome === 'recovered')).toBe(true);
      expect(results.reduce((sum, result) => sum + (result.outcome === 'recovered' ? result.recorded : 0), 0)).toBe(answers.length);
    } finally {
      await second.stop();
    }
  });

  it('lets SEV0–SEV1 keys past a storm: a slot of their own, first in line, and task priority', async () => {
    const firebreak = await TestFirebreak.start({ env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_ACK_TIMEOUT_MS: '60000' } });
    try {
      const { holder, keys, answers } = await takeTheOnlySlot(firebreak);
      const api = firebreak.as('responder');
      const run = firebreak.taskQueue;
      const critical = (key: string) => ({ ...alert(key, `${key} is down`), severity: 'critical' });
      // The first SEV1 key takes the slot kept for urgent keys: its incident starts at once.
      const first = api.post('/v1/alerts', critical(`${run}-sev1-a`));
      const started = await waitFor('the SEV1 incident to start beside the held slot', async () => {
        try {
          return await temporal.workflow.getHandle(incidentOf(`${run}-sev1-a`)).describe();
        } catch {
          return undefined;
        }
      });
      expect(started.raw.workflowExecutionInfo?.priority?.priorityKey).toBe(2);
      // The second waits, ahead of the SEV3 keys queued before it.
      const second = await api.post('/v1/alerts', critical(`${run}-sev1-b`));
      expect(second.body).toMatchObject({ status: 'queued' });
      for (const answer of answers) expect(answer.body.status).toBe('queued');

      await firebreak.startWorker();
      expect((await holder).body.status).toBe('recorded');
      expect((await first).body).toMatchObject({ status: 'recorded', incidentId: incidentOf(`${run}-sev1-a`) });
      const viewer = firebreak.as('viewer');
      for (const key of [...keys, `${run}-sev1-b`]) {
        await waitFor(`the alerts of ${key} recorded`, async () => ((await alertCount(viewer, incidentOf(key))) ?? 0) > 0);
      }
      const startTime = async (key: string) => (await temporal.workflow.getHandle(incidentOf(key)).describe()).startTime.getTime();
      const urgentStart = await startTime(`${run}-sev1-b`);
      for (const key of keys) expect(await startTime(key)).toBeGreaterThanOrEqual(urgentStart);
      const plain = await temporal.workflow.getHandle(incidentOf(keys[0])).describe();
      expect(plain.raw.workflowExecutionInfo?.priority?.priorityKey ?? 0).toBe(0);
    } finally {
      await firebreak.stop();
    }
  });

  it('hands a queue to its recovery at once when the API, still running, fails to deliver its alerts', async () => {
    // Deliveries time out (no worker): each queued key's fails after 2 s, while the API lives on.
    const firebreak = await TestFirebreak.start({ env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_ACK_TIMEOUT_MS: '2000' } });
    try {
      const { holder, keys, answers } = await takeTheOnlySlot(firebreak);
      for (const answer of answers) expect(answer.body.status).toBe('queued');
      expect((await holder).status).toBe(503);
      // The API's first failed delivery of a queued key hands that key's queue to its recovery.
      const recovering = await waitFor('an alert queue told to recover', async () => {
        for (const id of await queuesOf(firebreak.taskQueue)) {
          const events = (await temporal.workflow.getHandle(id).fetchHistory()).events ?? [];
          if (events.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'alertQueueRecover')) return id;
        }
        return undefined;
      }, { timeoutMs: 30_000 });

      await firebreak.startWorker();
      const viewer = firebreak.as('viewer');
      // Well before the queue's last resort (15 minutes) and with the API alive: every alert arrives.
      for (const key of keys) {
        await waitFor(`both alerts of ${key} recorded`, async () => (await alertCount(viewer, incidentOf(key))) === 2, { timeoutMs: 30_000 });
      }
      expect(await temporal.workflow.getHandle(recovering).result()).toMatchObject({ outcome: 'recovered' });
    } finally {
      await firebreak.stop();
    }
  });

  it('hands alerts off to queues that deliver them at once when the API holds ALERT_MAX_PENDING', async () => {
    const firebreak = await TestFirebreak.start({
      env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_MAX_PENDING: '1', ALERT_ACK_TIMEOUT_MS: '60000' },
    });
    try {
      // The holder's alert is the one alert held; every other is handed off.
      const { holder, keys, answers } = await takeTheOnlySlot(firebreak);
      for (const answer of answers) expect(answer.body).toMatchObject({ status: 'queued', incidentId: null });
      await firebreak.startWorker();
      expect((await holder).body.status).toBe('recorded');
      const viewer = firebreak.as('viewer');
      for (const key of keys) {
        await waitFor(`both alerts of ${key} delivered by their queue`, async () => (await alertCount(viewer, incidentOf(key))) === 2);
      }
      const queues = await waitFor('the alert queues to be listed', async () => {
        const ids = await queuesOf(firebreak.taskQueue);
        return ids.length > 0 && ids;
      });
      const results = await Promise.all(queues.map((id) => temporal.workflow.getHandle(id).result() as Promise<AlertQueueResult>));
      expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'handed-off'));
    } finally {
      await firebreak.stop();
    }
  });
});
