/**
 * One webhook delivery attempt (`webhookDeliver`) against a receiver that verifies it with
 * the standardwebhooks library: the headers and signature, and how each answer is mapped
 * (2xx delivered; 410 not retried; Retry-After honoured; everything else retried) with what
 * the failure carries for the failed list.
 */
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { WebhookDeliveryFailure } from '../../core/model/webhook-delivery';
import { Secret } from '../../core/schemas/integrations-config';
import type { WebhookSubscription } from '../../core/schemas/webhooks-config';
import { ActivityEnvironment } from '../../test/vendors/activity';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/vendors/webhook-receiver';
import { createWebhookActivities, retryAfterMs } from './webhooks';

describe('webhookDeliver', () => {
  let receiver: WebhookReceiver;
  let deliver: ReturnType<typeof createWebhookActivities>['webhookDeliver'];
  const env = new ActivityEnvironment({ attempt: 3 });
  const body = JSON.stringify({ type: 'incident.opened', timestamp: '2026-12-07T10:00:00.000Z', data: { incident: { id: 'inc-1', title: 'Ünïcødé ☃' } } });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const subscription: WebhookSubscription = { id: 'sink', url: receiver.url, events: '*', secret: 'S', headers: { 'x-team': 'sre' }, retryForMs: 60_000 };
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    ({ webhookDeliver: deliver } = createWebhookActivities(client, 'queue', {
      subscriptions: [subscription],
      secrets: new Map([['sink', new Secret(receiver.secret)]]),
      publicUrl: 'http://firebreak.test',
      requestTimeoutMs: 500,
    }));
  });
  afterAll(() => receiver?.stop());
  afterEach(() => receiver.heal());

  const failure = async (promise: Promise<unknown>): Promise<ApplicationFailure> => {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  };

  it('POSTs the body as signed, with the webhook-id of the event and the extra headers', async () => {
    expect(await env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_0', body })).toEqual({ status: 204, attempt: 3 });
    const [received] = receiver.accepted.slice(-1);
    expect(received.raw).toBe(body);
    expect(received.webhookId).toBe('msg_evt_inc-1_0');
    expect(received.headers).toMatchObject({ 'content-type': 'application/json', 'x-team': 'sre' });
    expect(() => new Webhook(receiver.secret).verify(received.raw, received.headers as Record<string, string>)).not.toThrow();
  });

  it('fails 410 Gone without retry, and keeps the answer for the failed list', async () => {
    receiver.fail({ status: 410, body: 'unsubscribed' });
    const gone = await failure(env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_1', body }));
    expect(gone).toMatchObject({ type: WebhookDeliveryFailure.Gone, nonRetryable: true, details: [{ attempt: 3, status: 410, answer: 'unsubscribed' }] });
  });

  it('retries every other answer, after Retry-After when one is given, keeping the first 500 bytes of the answer', async () => {
    receiver.fail({ status: 429, headers: { 'retry-after': '7' } }, { status: 500, body: 'é'.repeat(1_000) }, { status: 301, headers: { location: 'http://elsewhere.test/' } }, { status: 400 });
    const limited = await failure(env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_2', body }));
    expect(limited).toMatchObject({ type: WebhookDeliveryFailure.Failed, nonRetryable: false, nextRetryDelay: 7_000 });
    const failed = await failure(env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_2', body }));
    const { answer } = failed.details![0] as { answer: string };
    expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(500);
    expect(answer).toMatch(/^é+$/);
    for (const status of [301, 400]) {
      expect(await failure(env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_2', body }))).toMatchObject({ nonRetryable: false, details: [{ status }] });
    }
  });

  it('retries a receiver that does not answer in time', async () => {
    receiver.fail('hang');
    const hung = await failure(env.run(deliver, { subscriptionId: 'sink', eventId: 'evt_inc-1_3', body }));
    expect(hung).toMatchObject({ type: WebhookDeliveryFailure.Failed, nonRetryable: false });
    expect(hung.message).toContain('no answer in time');
  });

  it('fails for good a subscription no longer configured', async () => {
    expect(await failure(env.run(deliver, { subscriptionId: 'removed', eventId: 'evt_inc-1_4', body }))).toMatchObject({
      type: WebhookDeliveryFailure.Unsubscribed,
      nonRetryable: true,
    });
  });

  it('reads Retry-After as seconds or a date, within a second and an hour', () => {
    expect([retryAfterMs(null), retryAfterMs('soon'), retryAfterMs('0'), retryAfterMs('30'), retryAfterMs('86400')]).toEqual([undefined, undefined, 1_000, 30_000, 3_600_000]);
    fc.assert(
      fc.property(fc.string(), (header) => {
        const ms = retryAfterMs(header);
        expect(ms === undefined || (ms >= 1_000 && ms <= 3_600_000)).toBe(true);
      }),
    );
  });
});
