import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { genericDedupKey, incidentIdFor } from '../../../temporal-client/incident-ids';
import { TestFirebreak } from '../../../test/firebreak';
import { startPrivateTemporal } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

describe('when Temporal or Firebreak goes away', () => {
  it('answers 503 with Retry-After and reports not ready while Temporal is down', async () => {
    const temporal: TestWorkflowEnvironment = await startPrivateTemporal();
    const firebreak = await TestFirebreak.start({
      temporalAddress: temporal.address,
      env: { ALERT_ACK_TIMEOUT_MS: '2000', TEMPORAL_RPC_TIMEOUT_MS: '1000' },
    });
    try {
      const ready = await firebreak.http.get('/readyz');
      expect(ready.status).toBe(200);
      const before = await firebreak.as('responder').post('/v1/alerts', {
        source: 'e2e', summary: 'before the outage', status: 'firing', dedupKey: 'outage',
      });
      expect(before.status).toBe(202);

      await firebreak.stopWorker();
      await temporal.teardown();

      const during = await firebreak.as('responder').post('/v1/alerts', {
        source: 'e2e', summary: 'during the outage', status: 'firing', dedupKey: 'outage',
      });
      expect(during.status).toBe(503);
      expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(during.body.message).toMatch(/did not confirm recording an alert in time; retry later/);

      const notReady = await firebreak.http.get('/readyz');
      expect(notReady.status).toBe(503);
      expect((await firebreak.http.get('/healthz')).status).toBe(200);
    } finally {
      await firebreak.stop();
    }
  });

  it('loses no incident when the worker and the API restart', async () => {
    const first = await TestFirebreak.start();
    const api = first.as('responder');
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        api.post('/v1/alerts', { source: 'e2e', summary: `alert ${name}`, status: 'firing', dedupKey: `restart-${name}` }),
      ),
    );
    // Each alert is recorded or, when both delivery slots are taken, queued; a stopping API
    // delivers what it queued before it goes.
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    const ids = ['a', 'b', 'c'].map((name) => incidentIdFor(genericDedupKey('e2e', `restart-${name}`), 1));
    await first.stop();

    const second = await TestFirebreak.start({ taskQueue: first.taskQueue });
    try {
      for (const [index, id] of ids.entries()) {
        // Until the new worker has taken over the old one's in-flight workflow tasks (their
        // timeouts must pass), a read may answer 503 + Retry-After; it must then succeed.
        const incident = await waitFor(`incident ${id} readable after the restart`, async () => {
          const answer = await second.as('viewer').get(`/v1/incidents/${id}`);
          if (answer.status === 503) return undefined;
          return answer;
        }, { timeoutMs: 30_000, intervalMs: 500 });
        expect(incident.status).toBe(200);
        expect(incident.body.alerts.map((a: { summary: string }) => a.summary)).toEqual([`alert ${'abc'[index]}`]);
      }
      // The restarted pair keeps adding to the same incident. Like Alertmanager, the sender
      // retries a 503; the idempotency key keeps a retry from recording twice.
      const more = await waitFor('the alert to be taken after the restart', async () => {
        const answer = await second.as('responder').post(
          '/v1/alerts',
          { source: 'e2e', summary: 'alert a again', status: 'firing', dedupKey: 'restart-a' },
          { 'idempotency-key': 'restart-a-again' },
        );
        return answer.status === 503 ? undefined : answer;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      expect(more.body.incidentId).toBe(ids[0]);
      expect((await second.as('viewer').get(`/v1/incidents/${ids[0]}`)).body.alertCount).toBe(2);
    } finally {
      await second.stop();
    }
  });
});
