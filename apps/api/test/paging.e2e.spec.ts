import { TestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

type Entry = { kind: string; summary: string; details?: Record<string, unknown> };

describe('paging takes every valid alert, whatever the length of its key and text', () => {
  let firebreak: TestFirebreak;
  beforeAll(async () => {
    firebreak = await TestFirebreak.start({
      operator: testOperatorConfig({ escalation: { levels: [{ targets: ['alice'], timeoutSeconds: 3600 }] } }),
    });
  });
  afterAll(() => firebreak.stop());

  it('pages level 1 for an Alertmanager group with a 400-character group key and a 1,500-character description', async () => {
    // A real shape: `group_by` over many labels makes the group key long.
    const labels = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`label_${i}`, `value-${firebreak.taskQueue}-${i}`]));
    const groupKey = `{}/{severity="page"}:{${Object.entries(labels)
      .map(([name, value]) => `${name}="${value}"`)
      .join(', ')}}`.padEnd(400, '_');
    expect(groupKey.length).toBeGreaterThanOrEqual(400);
    const description = `Checkout p99 latency is above 2s in every region. ${'The payment provider times out and retries pile up. '.repeat(40)}`.slice(0, 1500);
    const body = {
      version: '4',
      receiver: 'firebreak',
      status: 'firing',
      groupKey,
      truncatedAlerts: 0,
      groupLabels: labels,
      commonLabels: { ...labels, alertname: 'CheckoutLatency', severity: 'critical' },
      commonAnnotations: { description },
      externalURL: 'http://alertmanager.example:9093',
      alerts: [
        {
          status: 'firing',
          labels: { ...labels, alertname: 'CheckoutLatency', severity: 'critical' },
          annotations: { description },
          startsAt: '2026-11-21T06:21:31.416Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: '91a8b05b95f3a561',
        },
      ],
    };
    const accepted = await firebreak.as('responder').post('/v1/alerts/alertmanager', body);
    expect(accepted.status).toBe(202);
    const incidentId: string = accepted.body.incidentId;
    expect(incidentId).toEqual(expect.any(String));

    const incident = await waitFor('level 1 to be paged', async () => {
      const { body: snapshot } = await firebreak.as('viewer').get(`/v1/incidents/${incidentId}`);
      return snapshot.timeline?.some((entry: Entry) => entry.kind === 'notification' && entry.summary.startsWith('Paged')) ? snapshot : undefined;
    });
    const notifications = (incident.timeline as Entry[]).filter((entry) => entry.kind === 'notification');
    expect(notifications[0]).toMatchObject({ summary: 'Paged alice (level 1, policy test-ladder)', details: { provider: 'local', level: 1 } });
    expect(notifications.map((entry) => entry.summary).join('\n')).not.toMatch(/failed|ALARM/);
    expect(incident.dedupKey.length).toBeGreaterThan(255);
  });
});
