/**
 * At least once, in order, across a crash: the real worker, in a process of its own, POSTs
 * an incident's first event to a receiver that takes it and never answers; more events
 * queue behind it; the worker is SIGKILLed. A restarted worker delivers the same events,
 * in the same order, with no gap: the only repeat is the event in flight, under the same
 * webhook-id with the same body.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import type { IncidentWorkflow } from '../../core/model/incident';
import { incidentActionUpdate } from '../../core/model/messages';
import { loadConfig } from '../../core/schemas/config';
import { loadWebhookSecrets } from '../../core/schemas/webhooks-config';
import { testOperatorConfig } from '../../test/operator';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from '../../test/temporal';
import { spawnTypeScript, type TypeScriptChild } from '../../test/vendors/child-process';
import { quietTemporalRuntime } from '../../test/vendors/temporal-worker';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/vendors/webhook-receiver';
import { waitFor } from '../../test/wait';

quietTemporalRuntime();

const SECRET_VARIABLE = 'FIREBREAK_TEST_WEBHOOK_KILL';

describe('a worker SIGKILLed in the middle of a webhook delivery', () => {
  let client: Client;
  let receiver: WebhookReceiver;
  let child: TypeScriptChild | undefined;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await child?.kill();
    await receiver?.stop();
    await client?.connection.close();
  });

  it('restarted, delivers exactly the same events in order: no gap, the one in flight again under its webhook-id', async () => {
    const taskQueue = uniqueTaskQueue('webhooks-kill');
    const subscriptions = [{ id: 'kill', url: receiver.url, events: '*' as const, secret: SECRET_VARIABLE }];
    const env = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, [SECRET_VARIABLE]: receiver.secret };
    // The receiver takes the first delivery and never answers: the worker waits until killed.
    receiver.fail('accept-then-hang');
    child = spawnTypeScript(require.resolve('../../test/vendors/webhook-receiver.ts'), { ...env, FIREBREAK_WEBHOOK_WORKER: JSON.stringify(subscriptions) });
    await child.ready;

    const incidentId = `inc-kill-${taskQueue.slice(-8)}`;
    const incident = await client.workflow.start<IncidentWorkflow>('incidentWorkflow', {
      taskQueue,
      workflowId: incidentId,
      args: [{ incidentId, title: 'Killed mid-delivery', severity: 'SEV2', openedBy: 'test' }],
    });
    await waitFor('the first delivery to arrive', () => receiver.accepted.length === 1, { timeoutMs: 30_000 });
    const act = (action: Record<string, unknown>) => incident.executeUpdate(incidentActionUpdate, { args: [{ actor: 'ops', action: action as never }] });
    await act({ action: 'acknowledge' });
    await act({ action: 'set-severity', severity: 'SEV1' });
    await child.kill();

    const operator = testOperatorConfig({ webhooks: subscriptions });
    const connection = await NativeConnection.connect({ address: sharedTemporalAddress() });
    const worker = await createFirebreakWorker({
      config: loadConfig(env),
      connection,
      workflowBundle: workflowBundle(),
      operator,
      webhookSecrets: loadWebhookSecrets(operator.webhooks, env),
    });
    const expected = [
      'incident.opened',
      'incident.status_changed',
      'incident.acknowledged',
      'incident.severity_changed',
      'incident.status_changed',
      'incident.resolved',
    ];
    await worker.runUntil(async () => {
      await act({ action: 'resolve' });
      await waitFor('every event', () => receiver.unique().length === expected.length, { timeoutMs: 90_000 });
    });
    await connection.close();

    expect(receiver.rejected).toEqual([]);
    expect(receiver.types()).toEqual(expected);
    expect(receiver.unique().map((received) => received.webhookId)).toEqual(expected.map((_, seq) => `msg_evt_${incidentId}_${seq}`));
    // The only repeat is the delivery the kill cut short, with the same body.
    const ids = receiver.accepted.map((received) => received.webhookId);
    expect(ids.slice(0, 2)).toEqual([`msg_evt_${incidentId}_0`, `msg_evt_${incidentId}_0`]);
    expect(ids.slice(2)).toEqual(expected.slice(1).map((_, seq) => `msg_evt_${incidentId}_${seq + 1}`));
    expect(receiver.accepted[1].raw).toBe(receiver.accepted[0].raw);
  }, 150_000);
});
