/**
 * Outgoing webhooks end to end: the real API and worker on a real Temporal server, POSTing
 * to local receivers that verify every delivery with the standardwebhooks library. An
 * incident's life and a runbook run with an approval arrive in order, signed; a receiver
 * that fails and recovers loses nothing and gets nothing out of order; a delivery out of
 * retries is listed as failed and re-sent with the same webhook-id; the secret is in no
 * workflow history and no API answer.
 */
import { Client, Connection } from '@temporalio/client';
import { webhookDeliveryWorkflowId } from '../../../core/model/webhook-delivery';
import { TestFirebreak } from '../../../test/firebreak';
import { metricValue } from '../../../test/metrics';
import { testOperatorConfig } from '../../../test/operator';
import { sharedTemporalAddress } from '../../../test/temporal';
import { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from '../../../test/vendors/webhook-receiver';
import { waitFor } from '../../../test/wait';

/**
 * A history as text a search for a secret must read: every string in it, and every payload
 * decoded (payloads are bytes, or base64 in a history's JSON form).
 */
function historyText(history: unknown): string {
  const texts: string[] = [];
  const visit = (node: unknown, key?: string): void => {
    if (node instanceof Uint8Array) texts.push(Buffer.from(node).toString('utf8'));
    else if (Array.isArray(node)) node.forEach((item) => visit(item));
    else if (node && typeof node === 'object') Object.entries(node).forEach(([name, value]) => visit(value, name));
    else if (typeof node === 'string') texts.push(node, ...(key === 'data' ? [Buffer.from(node, 'base64').toString('utf8')] : []));
  };
  visit(history);
  return texts.join('\n');
}

const SECRETS = { all: 'FIREBREAK_TEST_WEBHOOK_ALL', short: 'FIREBREAK_TEST_WEBHOOK_SHORT', gone: 'FIREBREAK_TEST_WEBHOOK_GONE' } as const;

describe('outgoing webhooks', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;
  let all: WebhookReceiver;
  let short: WebhookReceiver;
  let gone: WebhookReceiver;

  beforeAll(async () => {
    [all, short, gone] = await Promise.all([startWebhookReceiver(), startWebhookReceiver(), startWebhookReceiver()]);
    process.env[SECRETS.all] = all.secret;
    process.env[SECRETS.short] = short.secret;
    process.env[SECRETS.gone] = gone.secret;
    const operator = testOperatorConfig({
      webhooks: [
        { id: 'all', url: all.url, events: '*', secret: SECRETS.all, headers: { 'x-firebreak-test': 'yes' } },
        { id: 'short', url: short.url, events: ['incident.opened'], secret: SECRETS.short, retryFor: '4 seconds' },
        { id: 'gone', url: gone.url, events: ['incident.opened'], secret: SECRETS.gone },
      ],
    });
    firebreak = await TestFirebreak.start({ operator });
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await firebreak?.stop();
    await temporal?.connection.close();
    await Promise.all([all, short, gone].map((receiver) => receiver?.stop()));
  });

  const act = async (id: string, body: Record<string, unknown>, role: 'responder' | 'admin' = 'responder') => {
    const answer = await firebreak.as(role).post(`/v1/incidents/${id}/actions`, body);
    expect(answer.status).toBe(200);
  };
  const declare = async (title: string) => {
    const answer = await firebreak.as('responder').post('/v1/incidents', { title, severity: 'SEV3', service: 'checkout' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const about = (id: string) => (received: ReceivedWebhook) => received.body.data.incident?.id === id || received.body.data.execution?.id === id;
  const eventsOf = (receiver: WebhookReceiver, id: string) => receiver.unique().filter(about(id));
  /** Waits until `receiver` has every event of `types` for `id`, and returns them in the order they came. */
  const received = (receiver: WebhookReceiver, id: string, types: string[], timeoutMs = 30_000) =>
    waitFor(`${types.join(', ')} for ${id}`, () => (eventsOf(receiver, id).length >= types.length ? eventsOf(receiver, id) : undefined), { timeoutMs });

  it("delivers an incident's life in order, signed, each event once under its own webhook-id", async () => {
    const id = await declare('Checkout is failing');
    await act(id, { action: 'acknowledge' });
    await act(id, { action: 'set-severity', severity: 'SEV1' });
    await act(id, { action: 'assign-role', role: 'commander', assignee: 'alice' });
    await act(id, { action: 'add-note', text: 'a note is no event' });
    await act(id, { action: 'resolve' });
    // Closing takes a commander's rights.
    await act(id, { action: 'close' }, 'admin');
    const expected = [
      'incident.opened',
      'incident.status_changed',
      'incident.acknowledged',
      'incident.severity_changed',
      'incident.role_assigned',
      'incident.status_changed',
      'incident.resolved',
      'incident.status_changed',
      'incident.closed',
    ];
    const events = await received(all, id, expected);
    expect(events.map((event) => event.body.type)).toEqual(expected);
    // Every delivery verified (the receiver refuses the rest), with the subscription's header.
    expect(all.rejected).toEqual([]);
    expect(events.every((event) => event.headers['x-firebreak-test'] === 'yes')).toBe(true);
    expect(new Set(events.map((event) => event.webhookId)).size).toBe(expected.length);
    expect(events.map((event) => event.webhookId)).toEqual(expected.map((_, seq) => `msg_evt_${id}_${seq}`));
    expect(events[0].body).toEqual({
      type: 'incident.opened',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        incident: { id, title: 'Checkout is failing', severity: 'SEV3', status: 'triggered', priority: expect.any(String), service: 'checkout' },
        actor: 'alertmanager',
        links: { console: `${firebreak.config.publicUrl}/incidents/${id}`, api: `${firebreak.config.publicUrl}/v1/incidents/${id}` },
      },
    });
    expect(events[3].body.data).toMatchObject({ change: { from: 'SEV3', to: 'SEV1' }, actor: 'alertmanager' });
    expect(events[4].body.data).toMatchObject({ role: { name: 'commander', assignee: 'alice' } });
    // The events' own times are in order, whatever the attempts' times.
    const stamps = events.map((event) => event.body.timestamp);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('delivers a runbook run with an approval: started, steps, approval requested and decided, completed', async () => {
    const incidentId = await declare('Runbook webhooks');
    const launched = await firebreak.as('responder').post('/v1/runbooks/compensation-demo/executions', { input: { then: 'wait' }, incidentId });
    expect(launched.status).toBe(201);
    const executionId: string = launched.body.id;
    await received(all, executionId, ['execution.started', 'step', 'step', 'approval.requested']);
    expect((await firebreak.as('admin').post(`/v1/executions/${executionId}/approve`, { comment: 'go ahead' })).status).toBe(200);
    const expected = ['execution.started', 'execution.step_completed', 'execution.step_completed', 'approval.requested', 'approval.decided', 'execution.completed'];
    const events = await received(all, executionId, expected);
    expect(events.map((event) => event.body.type)).toEqual(expected);
    expect(events.map((event) => event.body.data.step?.name)).toEqual([undefined, 'statusPage.openIncident', 'scaling.scaleService', undefined, undefined, undefined]);
    expect(events[3].body.data.approval).toEqual({ prompt: 'Hold here until cancelled', approvers: ['responder', 'commander', 'admin'], expiresAt: expect.any(String) });
    expect(events[4].body.data).toMatchObject({ actor: 'ops', approval: { outcome: 'approved', by: 'ops', comment: 'go ahead' } });
    expect(events[5].body.data.execution).toMatchObject({ id: executionId, runbookId: 'compensation-demo', status: 'completed', incidentId });
    expect(events[0].body.data.links).toEqual({ console: `${firebreak.config.publicUrl}/executions/${executionId}`, api: `${firebreak.config.publicUrl}/v1/executions/${executionId}` });

    const failed = (await firebreak.as('responder').post('/v1/runbooks/compensation-demo/executions', { input: { then: 'fail' } })).body.id as string;
    const failedEvents = await received(all, failed, ['started', 'step', 'step', 'undo', 'undo', 'failed']);
    expect(failedEvents.map((event) => event.body.type)).toEqual([
      'execution.started',
      'execution.step_completed',
      'execution.step_completed',
      'execution.step_completed',
      'execution.step_completed',
      'execution.failed',
    ]);
    expect(failedEvents[3].body.data.step).toMatchObject({ compensates: 'scaling.scaleService' });
    expect(failedEvents[5].body.data).toMatchObject({ execution: { status: 'failed' }, error: expect.stringContaining('') });
  });

  it('keeps order and loses nothing while the receiver fails (5xx, 429 with Retry-After, no answer) and then recovers', async () => {
    all.fail({ status: 503, body: 'down for maintenance' }, { status: 429, headers: { 'retry-after': '1' } }, { status: 500 }, 'hang', { status: 502 });
    const id = await declare('Receiver trouble');
    await act(id, { action: 'acknowledge' });
    await act(id, { action: 'set-severity', severity: 'SEV2' });
    await act(id, { action: 'resolve' });
    const expected = [
      'incident.opened',
      'incident.status_changed',
      'incident.acknowledged',
      'incident.severity_changed',
      'incident.status_changed',
      'incident.resolved',
    ];
    const events = await received(all, id, expected, 60_000);
    expect(events.map((event) => event.body.type)).toEqual(expected);
    // Head-of-line: nothing came out of order, and the failed attempts were all of the first event.
    const arrived = all.accepted.filter(about(id)).map((event) => event.webhookId);
    expect(arrived).toEqual(events.map((event) => event.webhookId));
    const faulted = all.attempts.filter((attempt) => attempt.faulted).slice(-5);
    expect(faulted.map((attempt) => attempt.webhookId)).toEqual(Array(5).fill(`msg_evt_${id}_0`));
  }, 90_000);

  it('lists a delivery out of retries as failed, with the last answer, and re-sends it with the same webhook-id', async () => {
    short.failAlways({ status: 500, body: `boom ${'x'.repeat(2_000)}` });
    gone.failAlways({ status: 410, body: 'no longer wanted' });
    const id = await declare('Short window');
    const webhookId = `msg_evt_${id}_0`;
    const deliveryId = `short~evt_${id}_0`;
    const admin = firebreak.as('admin');
    const failed = await waitFor(
      'the delivery to fail',
      async () => (await admin.get('/v1/webhooks/deliveries?status=failed&subscription=short')).body.deliveries?.find((delivery: { id: string }) => delivery.id === deliveryId),
      { timeoutMs: 30_000 },
    );
    expect(failed).toMatchObject({ subscription: 'short', type: 'incident.opened', webhookId, status: 'failed', failure: 'exhausted', lastError: { status: 500 } });
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(Buffer.byteLength(failed.lastError.answer)).toBeLessThanOrEqual(500);
    const refused = short.attempts.filter((attempt) => attempt.faulted);
    expect(refused.length).toBe(failed.attempts);
    expect(refused.every((attempt) => attempt.webhookId === webhookId)).toBe(true);

    // 410 Gone: failed at once, never retried.
    const goneDelivery = await waitFor('the gone delivery', async () =>
      (await admin.get('/v1/webhooks/deliveries?status=failed&subscription=gone')).body.deliveries?.find((delivery: { eventId: string }) => delivery.eventId === `evt_${id}_0`),
    );
    expect(goneDelivery).toMatchObject({ failure: 'gone', attempts: 1, lastError: { status: 410, answer: 'no longer wanted' } });
    // A scrape reads the queues; one that could not (Temporal slow) leaves the series out, so the next is awaited.
    await waitFor('the queues in /metrics', async () => {
      const scrape = (await firebreak.as('viewer').get('/metrics')).text;
      return (
        metricValue(scrape, 'firebreak_webhook_events{subscription="gone",state="failed"}') >= 1 &&
        metricValue(scrape, 'firebreak_webhook_events{subscription="short",state="failed"}') >= 1 &&
        metricValue(scrape, 'firebreak_webhook_events{subscription="all",state="delivered"}') >= 1
      );
    });

    short.heal();
    const retried = await admin.post(`/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: deliveryId, webhookId, status: 'queued' });
    const [again] = await received(short, id, ['incident.opened']);
    expect(again.webhookId).toBe(webhookId);
    await waitFor('the re-sent delivery to be listed as delivered', async () =>
      (await admin.get('/v1/webhooks/deliveries?status=delivered&subscription=short')).body.deliveries.some(
        (delivery: { id: string; redriven?: number }) => delivery.id === deliveryId && delivery.redriven === 1,
      ),
    );
    expect((await admin.post(`/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`)).status).toBe(409);
    expect((await admin.post(`/v1/webhooks/deliveries/${encodeURIComponent(`short~evt_${id}_99`)}/retry`)).status).toBe(404);
    expect((await admin.post('/v1/webhooks/deliveries/nobody~evt_x_0/retry')).status).toBe(404);
  }, 60_000);

  it('answers 400 naming a bad parameter, and only to admins', async () => {
    const admin = firebreak.as('admin');
    const bad = await admin.get('/v1/webhooks/deliveries?status=lost');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('status');
    const unknown = await admin.get('/v1/webhooks/deliveries?subscription=nobody');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('subscription');
    expect((await firebreak.as('responder').get('/v1/webhooks')).status).toBe(403);
  });

  it('keeps the secrets out of every workflow history and every API answer', async () => {
    const admin = firebreak.as('admin');
    const listed = await admin.get('/v1/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.subscriptions.map((subscription: { id: string }) => subscription.id)).toEqual(['all', 'short', 'gone']);
    expect(listed.body.subscriptions[0]).toMatchObject({ url: all.url, events: '*', counters: { delivered: expect.any(Number) } });
    const answers = JSON.stringify([listed.body, (await admin.get('/v1/webhooks/deliveries')).body]);
    const id = await declare('Secret check');
    await received(all, id, ['incident.opened']);
    const histories = await Promise.all(
      [id, ...['all', 'short', 'gone'].map((subscription) => webhookDeliveryWorkflowId(firebreak.taskQueue, subscription))].map(async (workflowId) =>
        historyText(await temporal.workflow.getHandle(workflowId).fetchHistory()),
      ),
    );
    for (const receiver of [all, short, gone]) {
      const key = receiver.secret.slice('whsec_'.length);
      for (const text of [answers, ...histories, JSON.stringify((await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body)]) {
        expect(text).not.toContain(key);
      }
    }
    // The histories do hold the events (so the search above looked where they are).
    expect(histories[0]).toContain(`evt_${id}_0`);
    expect(histories[1]).toContain(`evt_${id}_0`);
  });
});
