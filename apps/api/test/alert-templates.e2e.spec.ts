import { TestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';

/** Routes that write the incident's title and description from the alert, through the API and a real incident. */
describe('route templates and alert links end to end', () => {
  let firebreak: TestFirebreak;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({
        routes: [
          {
            name: 'slo',
            match: { kind: 'slo' },
            title: (alert) => `${alert.labels.service} p99 above SLO`,
            description: (alert) => `${alert.summary}\nRegion: ${alert.labels.region ?? 'unknown'}`,
          },
          {
            name: 'broken',
            match: { kind: 'broken' },
            title: (alert) => (alert.labels as Record<string, string | undefined>).absent!.trim(),
          },
        ],
      }),
    });
  });
  afterAll(() => firebreak.stop());

  const send = (labels: Record<string, string>, extra: Record<string, unknown> = {}) =>
    firebreak.as('responder').post('/v1/alerts', {
      source: 'checks',
      summary: 'latency high on api-1',
      status: 'firing',
      dedupKey: `${firebreak.taskQueue}-${JSON.stringify(labels)}`,
      labels,
      ...extra,
    });

  it('titles and describes the incident from its first alert', async () => {
    const sent = await send({ kind: 'slo', service: 'checkout', region: 'eu-1' });
    expect(sent.status).toBe(202);
    const incident = (await firebreak.as('viewer').get(`/v1/incidents/${sent.body.incidentId}`)).body;
    expect(incident.title).toBe('checkout p99 above SLO');
    expect(incident.summary).toBe('latency high on api-1\nRegion: eu-1');
  });

  it("falls back to the alert's summary when a template throws, and the timeline says so", async () => {
    const sent = await send({ kind: 'broken', service: 'checkout' });
    expect(sent.status).toBe(202);
    const incident = (await firebreak.as('viewer').get(`/v1/incidents/${sent.body.incidentId}`)).body;
    expect(incident.title).toBe('latency high on api-1');
    expect(incident.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'note', actor: 'firebreak', summary: expect.stringMatching(/^The title template of route broken failed/) }),
      ]),
    );
  });

  it("keeps the alert's links on the incident, and refuses a link that is not http(s), naming it", async () => {
    const links = [
      { url: 'https://grafana.example.com/d/checkout', kind: 'dashboard', text: 'Checkout — latency' },
      { url: 'https://runbooks.example.com/checkout', kind: 'runbook' },
    ];
    const sent = await send({ kind: 'links' }, { links });
    expect(sent.status).toBe(202);
    const incident = (await firebreak.as('viewer').get(`/v1/incidents/${sent.body.incidentId}`)).body;
    expect(incident.alerts[0].links).toEqual(links);

    const refused = await send({ kind: 'links' }, { links: [{ url: 'javascript:alert(1)' }] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('links.0.url');
  });
});
