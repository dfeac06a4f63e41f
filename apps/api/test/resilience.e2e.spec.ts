import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TestFirebreak } from '../../../test/firebreak';
import { startPrivateTemporal } from '../../../test/temporal';

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
      expect(during.body.message).toMatch(/nothing was recorded/);

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
    const ids = answers.map((answer) => answer.body.incidentId as string);
    await first.stop();

    const second = await TestFirebreak.start({ taskQueue: first.taskQueue });
    try {
      for (const [index, id] of ids.entries()) {
        const incident = await second.as('viewer').get(`/v1/incidents/${id}`);
        expect(incident.status).toBe(200);
        expect(incident.body.alerts.map((a: { summary: string }) => a.summary)).toEqual([`alert ${'abc'[index]}`]);
      }
      // The restarted pair keeps adding to the same incident.
      const more = await second.as('responder').post('/v1/alerts', {
        source: 'e2e', summary: 'alert a again', status: 'firing', dedupKey: 'restart-a',
      });
      expect(more.body.incidentId).toBe(ids[0]);
      expect((await second.as('viewer').get(`/v1/incidents/${ids[0]}`)).body.alertCount).toBe(2);
    } finally {
      await second.stop();
    }
  });
});
