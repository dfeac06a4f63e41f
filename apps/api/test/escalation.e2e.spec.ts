import { Client, Connection } from '@temporalio/client';
import { TestFirebreak, TEST_KEY_NAMES } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { listingUpserts, pendingTimers, sharedTemporalAddress } from '../../../test/temporal';
import { IncidentStatusAttribute } from '../../../core/model/search-attributes';
import { waitFor } from '../../../test/wait';

type Entry = { kind: string; summary: string };

describe('escalation, heartbeats and long incidents', () => {
  let temporal: Client;
  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => temporal.connection.close());

  const pages = (timeline: Entry[]) =>
    timeline.filter((entry) => entry.kind === 'notification' && entry.summary.startsWith('Paged')).map((entry) => entry.summary);

  it('pages level after level, repeats the ladder, and stops every pending page on acknowledge', async () => {
    const firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({
        escalation: { levels: [{ targets: ['alice'], timeoutSeconds: 1 }, { targets: ['bob', 'carol'], timeoutSeconds: 1 }], repeat: 1 },
      }),
    });
    try {
      const opened = await firebreak.as('responder').post('/v1/alerts', { source: 'e2e', summary: 'disk full', status: 'firing', dedupKey: 'ladder' });
      const id = opened.body.incidentId;
      const read = async () => (await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;

      const paged = await waitFor('level 1 of round 2 to be paged', async () => {
        const incident = await read();
        return pages(incident.timeline).length >= 3 ? incident : undefined;
      });
      expect(pages(paged.timeline).slice(0, 3)).toEqual([
        'Paged alice (level 1, round 1, policy test-ladder)',
        'Paged bob, carol (level 2, round 1, policy test-ladder)',
        'Paged alice (level 1, round 2, policy test-ladder)',
      ]);

      const ack = await firebreak.as('responder').post(`/v1/incidents/${id}/actions`, { action: 'acknowledge' });
      expect(ack.status).toBe(200);
      const stopped = await read();
      expect(stopped.escalation).toMatchObject({ state: 'stopped', policy: 'test-ladder' });
      expect(stopped.escalation.nextAt).toBeUndefined();
      expect(stopped.timeline.map((entry: Entry) => entry.summary)).toContain('Escalation stopped: acknowledged');
      // The level's timeout timer was cancelled, not left to fire: nothing is pending.
      await waitFor('the pending timeout to be cancelled', async () => (await pendingTimers(temporal, id)) === 0);
      await waitFor('the pager to hear of the acknowledgement', async () =>
        (await read()).timeline.some((entry: Entry) => entry.summary === 'Pager told: acknowledge (level 1)'),
      );
      expect(pages((await read()).timeline).length).toBe(pages(stopped.timeline).length);
    } finally {
      await firebreak.stop();
    }
  });

  it('jumps to the next level at once on escalate, and runs out when nobody answers', async () => {
    const firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({
        escalation: { levels: [{ targets: ['first'], timeoutSeconds: 3600 }, { targets: ['second'], timeoutSeconds: 1 }] },
      }),
    });
    try {
      const { body } = await firebreak.as('responder').post('/v1/incidents', { title: 'escalate me', severity: 'SEV2' });
      const read = async () => (await firebreak.as('viewer').get(`/v1/incidents/${body.id}`)).body;
      await waitFor('level 1 paged', async () => pages((await read()).timeline).length === 1);
      // Level 1 waits an hour; escalating by hand pages level 2 now.
      expect((await firebreak.as('responder').post(`/v1/incidents/${body.id}/actions`, { action: 'escalate', reason: 'need the DBA' })).status).toBe(200);
      const exhausted = await waitFor('the ladder to run out', async () => {
        const incident = await read();
        return incident.escalation.state === 'exhausted' ? incident : undefined;
      });
      expect(pages(exhausted.timeline)).toEqual([
        'Paged first (level 1, policy test-ladder)',
        'Paged second (level 2, policy test-ladder)',
      ]);
    } finally {
      await firebreak.stop();
    }
  });

  it('declares exactly one incident when a heartbeat stops, and records the recovery', async () => {
    const firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({ heartbeats: [{ name: 'cron', intervalSeconds: 1, graceSeconds: 1, service: 'batch', onRecovery: 'mitigate', senders: [TEST_KEY_NAMES.responder] }] }),
    });
    try {
      const unknown = await firebreak.as('responder').post('/v1/heartbeats/nope');
      expect(unknown.status).toBe(404);
      const ping = await firebreak.as('responder').post('/v1/heartbeats/cron');
      expect(ping.status).toBe(202);

      const silent = await waitFor('the monitor to declare an incident', async () => {
        const status = (await firebreak.as('viewer').get('/v1/heartbeats/cron')).body;
        return status.openIncidentId ? status : undefined;
      });
      expect(silent).toMatchObject({ name: 'cron', pings: 1, incidentsDeclared: 1 });
      // While the incident is open the monitor waits for a ping only: no timer, so no second incident.
      await waitFor('the monitor to settle', async () => (await pendingTimers(temporal, 'heartbeat-cron')) === 0);
      const declared = (await firebreak.as('viewer').get(`/v1/incidents/${silent.openIncidentId}`)).body;
      expect(declared).toMatchObject({ status: 'triggered', service: 'batch', severity: 'SEV2', title: 'Heartbeat "cron" stopped' });

      expect((await firebreak.as('responder').post('/v1/heartbeats/cron')).status).toBe(202);
      const recovered = await waitFor('the recovery on the incident', async () => {
        const incident = (await firebreak.as('viewer').get(`/v1/incidents/${silent.openIncidentId}`)).body;
        return incident.status === 'mitigated' ? incident : undefined;
      });
      expect(recovered.timeline.map((entry: Entry) => entry.summary)).toEqual(
        expect.arrayContaining(['Heartbeat "cron" recovered: pings are back', 'Heartbeat recovered; monitor policy mitigates: triggered → mitigated']),
      );
      const status = (await firebreak.as('viewer').get('/v1/heartbeats/cron')).body;
      expect(status).toMatchObject({ pings: 2, incidentsDeclared: 1 });
      expect(status.openIncidentId).toBeUndefined();
    } finally {
      await firebreak.stop();
    }
  });

  it('keeps the whole timeline of an incident driven past the continue-as-new threshold', async () => {
    const firebreak = await TestFirebreak.start({ operator: testOperatorConfig(), env: { INCIDENT_MAX_HISTORY_EVENTS: '100' } });
    try {
      const api = firebreak.as('responder');
      const first = await api.post('/v1/alerts', { source: 'e2e', summary: 'alert 0', status: 'firing', dedupKey: 'long' });
      const id = first.body.incidentId;
      // Sequential alerts are one update each: well past 100 history events.
      for (let i = 1; i < 30; i++) {
        const answer = await api.post('/v1/alerts', { source: 'e2e', summary: `alert ${i}`, status: 'firing', dedupKey: 'long' });
        expect(answer.body.incidentId).toBe(id);
      }
      // And a burst while it may be continuing as new: none may be lost.
      const burst = await Promise.all(
        Array.from({ length: 10 }, (_, i) => api.post(`/v1/incidents/${id}/actions`, { action: 'add-note', text: `note ${i}` })),
      );
      expect(burst.map((answer) => answer.status)).toEqual(Array(10).fill(200));

      const incident = (await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;
      expect(incident.continuedAsNew).toBeGreaterThanOrEqual(1);
      expect(incident.alertCount).toBe(30);
      const summaries = incident.timeline.map((entry: Entry) => entry.summary);
      for (let i = 0; i < 30; i++) expect(summaries).toContain(`Alert firing: alert ${i}`);
      for (let i = 0; i < 10; i++) expect(summaries).toContain(`note ${i}`);
      expect(summaries[0]).toMatch(/^Incident opened/);
      // The new run holds the listing continue-as-new carried, and does not write it again.
      expect((await temporal.workflow.getHandle(id).describe()).typedSearchAttributes.get(IncidentStatusAttribute)).toBe('triggered');
      expect(await listingUpserts(temporal, id)).toEqual([]);
    } finally {
      await firebreak.stop();
    }
  });
});
