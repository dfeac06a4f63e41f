/**
 * An API process that dies mid-storm leaves its queued alerts to its alert queues: they
 * deliver them once its lease hears nothing for ALERT_QUEUE_RECOVERY_MS (10 s by default),
 * each exactly once. A live API delivering a slow storm is never raced by its queues.
 */
import { Client, Connection } from '@temporalio/client';
import { genericDedupKey, incidentIdFor } from '../../../temporal-client/incident-ids';
import type { AlertLeaseResult } from '../../../core/model/alert-lease';
import type { AlertQueueResult } from '../../../core/model/incident';
import { TEST_KEYS, TestFirebreak } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { sharedTemporalAddress } from '../../../test/temporal';
import { spawnTypeScript, type TypeScriptChild } from '../../../test/vendors/child-process';
import { waitFor } from '../../../test/wait';

const API_KEYS = `ops:admin:${TEST_KEYS.admin},alertmanager:responder:${TEST_KEYS.responder},dashboard:viewer:${TEST_KEYS.viewer}`;
const alert = (dedupKey: string, summary: string) => ({ source: 'e2e', summary, status: 'firing', severity: 'warning', dedupKey, labels: {} });
const incidentOf = (key: string) => incidentIdFor(genericDedupKey('e2e', key), 1);

/** The real API in its own process, on `taskQueue`. */
async function spawnApi(taskQueue: string, env: Record<string, string>): Promise<{ child: TypeScriptChild; api: HttpClient }> {
  const child = spawnTypeScript(require.resolve('../../../test/vendors/api-process.ts'), {
    API_KEYS,
    TEMPORAL_ADDRESS: sharedTemporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'error',
    ...env,
  });
  const port = new Promise<number>((resolve) => {
    child.process.stdout!.on('data', (chunk: Buffer) => {
      const match = /ready (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  await child.ready;
  return { child, api: new HttpClient(`http://127.0.0.1:${await port}`, TEST_KEYS.responder) };
}

describe('alerts queued by an API process that dies', () => {
  let temporal: Client;
  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => temporal.connection.close());

  const listed = async (query: string) => {
    const ids: string[] = [];
    for await (const execution of temporal.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  };

  it('reaches its incidents within 30 s of a SIGKILL, each alert exactly once', async () => {
    // The worker and a reading API in this process; the API that takes the storm in its own.
    const firebreak = await TestFirebreak.start();
    let child: TypeScriptChild | undefined;
    try {
      await firebreak.stopWorker();
      const spawned = await spawnApi(firebreak.taskQueue, { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_ACK_TIMEOUT_MS: '60000' });
      child = spawned.child;
      const { api } = spawned;
      const run = firebreak.taskQueue;
      // With no worker, the one delivery slot stays taken: every other key's alert is queued.
      void api.post('/v1/alerts', alert(`${run}-slot`, 'holds the slot')).catch(() => undefined);
      await waitFor('the first alert to take the slot', async () => Boolean(await temporal.workflow.getHandle(incidentOf(`${run}-slot`)).describe()));
      const keys = [1, 2, 3, 4, 5].map((n) => `${run}-k${n}`);
      const answers = await Promise.all(keys.flatMap((key) => [1, 2].map((n) => api.post('/v1/alerts', alert(key, `${key} alert ${n}`)))));
      for (const answer of answers) expect(answer.body).toMatchObject({ status: 'queued', incidentId: null });

      await child.kill();
      await firebreak.startWorker();
      const viewer = firebreak.as('viewer');
      for (const [index, key] of keys.entries()) {
        const incident = await waitFor(
          `both queued alerts of ${key} on their incident`,
          async () => {
            const answer = await viewer.get(`/v1/incidents/${incidentOf(key)}`);
            return answer.status === 200 && answer.body.alertCount === 2 && answer.body;
          },
          { timeoutMs: 30_000, intervalMs: 250 },
        );
        const receipts = answers.slice(index * 2, index * 2 + 2).map((answer) => answer.body.receiptId);
        expect(incident.alerts.map((recorded: { receiptId: string }) => recorded.receiptId).sort()).toEqual([...receipts].sort());
      }

      // The queues delivered them, told by the lease; nothing was recorded twice.
      const queues = await listed(`WorkflowType = 'alertQueueWorkflow' AND TaskQueue = '${run}'`);
      expect(queues.length).toBeGreaterThan(0);
      const results = await Promise.all(queues.map((id) => temporal.workflow.getHandle(id).result() as Promise<AlertQueueResult>));
      expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'recovered'));
      for (const key of keys) expect((await viewer.get(`/v1/incidents/${incidentOf(key)}`)).body.alertCount).toBe(2);
    } finally {
      await child?.kill();
      await firebreak.stop();
    }
  });

  it('does not race a live API that delivers a storm slower than the lease silence', async () => {
    // A lease silence of 1 s and one delivery slot: the storm takes the API several seconds.
    const firebreak = await TestFirebreak.start({ env: { ALERT_DELIVERY_CONCURRENCY: '1', ALERT_QUEUE_RECOVERY_MS: '1000', ALERT_ACK_TIMEOUT_MS: '60000' } });
    try {
      const api = firebreak.as('responder');
      const run = firebreak.taskQueue;
      const keys = Array.from({ length: 120 }, (_, n) => `${run}-s${n}`);
      const answers = await Promise.all(keys.map((key) => api.post('/v1/alerts', alert(key, `${key} storm`))));
      expect(answers.filter((answer) => answer.body.status === 'queued').length).toBeGreaterThan(0);
      const viewer = firebreak.as('viewer');
      for (const key of keys) {
        await waitFor(`${key} recorded`, async () => (await viewer.get(`/v1/incidents/${incidentOf(key)}`)).body.alertCount === 1, { timeoutMs: 60_000 });
      }
      const queues = await listed(`WorkflowType = 'alertQueueWorkflow' AND TaskQueue = '${run}'`);
      const results = await Promise.all(queues.map((id) => temporal.workflow.getHandle(id).result() as Promise<AlertQueueResult>));
      expect(results.map((result) => result.outcome)).toEqual(results.map(() => 'delivered'));
      // The scenario holds: some queue waited on the live API for longer than the lease silence.
      const lifetimes = await Promise.all(
        queues.map(async (id) => {
          const { startTime, closeTime } = await temporal.workflow.getHandle(id).describe();
          return closeTime!.getTime() - startTime.getTime();
        }),
      );
      expect(Math.max(...lifetimes)).toBeGreaterThan(1000);
      // Once the API held no queue it let its lease lapse, with nothing to tell.
      const leases = await listed(`WorkflowType = 'alertLeaseWorkflow' AND TaskQueue = '${run}'`);
      expect(leases.length).toBe(1);
      expect(await temporal.workflow.getHandle(leases[0]).result()).toEqual({ told: 0 } satisfies AlertLeaseResult);
    } finally {
      await firebreak.stop();
    }
  });
});
