import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../../../../activities';
import { localIntegrations } from '../../../../core/integrations-config';
import { TestFirebreak } from '../../../../test/firebreak';
import { sharedTemporalAddress } from '../../../../test/temporal';
import { activityEnvironment } from '../../../../test/vendors/activity';

describe('GET /status and /status.json (the local status page, end to end)', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    firebreak = await TestFirebreak.start();
  });
  afterAll(async () => {
    await firebreak?.stop();
    await temporal?.connection.close();
  });

  it('shows an all-clear page before anything was posted, without authentication', async () => {
    const json = await firebreak.http.get('/status.json');
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ overall: 'operational', updatedAt: null, components: [], activeIncidents: [], resolvedIncidents: [] });
    const html = await firebreak.http.get('/status');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('All systems operational');
    expect(html.text).toContain('No current incidents.');
  });

  it('shows an incident opened, updated and resolved by the status-page activities', async () => {
    // The activities as the worker runs them: on its task queue, whose status page the API reads.
    const activities = createActivities({ config: localIntegrations(), temporal });
    const env = activityEnvironment({ taskQueue: firebreak.taskQueue });
    const opened = await env.run(activities.statusPageOpenIncident, {
      idempotencyKey: 'inc-e2e/status-open',
      incidentId: 'inc-e2e',
      title: 'Checkout <slow> & failing',
      message: 'We are investigating failed checkouts.',
      components: { Checkout: 'major_outage', API: 'degraded_performance' },
    });
    await env.run(activities.statusPageSetComponentStatus, { idempotencyKey: 'inc-e2e/search', component: 'Search', status: 'operational' });

    let json = (await firebreak.http.get('/status.json')).body;
    expect(json.overall).toBe('major_outage');
    expect(json.components.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ['API', 'degraded_performance'],
      ['Checkout', 'major_outage'],
      ['Search', 'operational'],
    ]);
    expect(json.activeIncidents).toEqual([
      expect.objectContaining({ id: opened.id, title: 'Checkout <slow> & failing', status: 'investigating', incidentId: 'inc-e2e' }),
    ]);
    let html = (await firebreak.http.get('/status')).text;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<h1>Service status</h1>');
    expect(html).toContain('<p class="overall major_outage" role="status">Major outage</p>');
    expect(html).toMatch(/<h2 id="active-heading">Current incidents<\/h2>\s*<article id="SP-1"/);
    expect(html).toContain('<h3 id="SP-1-title">Checkout &lt;slow&gt; &amp; failing</h3>');
    expect(html).toContain('<li class="major_outage"><span>Checkout</span> <span>Major outage</span></li>');
    expect(html).not.toContain('<script');

    await env.run(activities.statusPageUpdateIncident, {
      idempotencyKey: 'inc-e2e/status-identified',
      statusIncidentId: opened.id,
      status: 'identified',
      message: 'A bad deploy; rolling back.',
      components: { API: 'operational' },
    });
    await env.run(activities.statusPageUpdateIncident, {
      idempotencyKey: 'inc-e2e/status-resolved',
      statusIncidentId: opened.id,
      status: 'resolved',
      message: 'Rolled back; checkouts succeed again.',
    });

    json = (await firebreak.http.get('/status.json')).body;
    expect(json.overall).toBe('operational');
    expect(json.activeIncidents).toEqual([]);
    expect(json.resolvedIncidents).toHaveLength(1);
    expect(json.resolvedIncidents[0]).toMatchObject({ id: opened.id, status: 'resolved', resolvedAt: expect.any(String) });
    expect(json.resolvedIncidents[0].updates.map((u: { status: string; message: string }) => [u.status, u.message])).toEqual([
      ['resolved', 'Rolled back; checkouts succeed again.'],
      ['identified', 'A bad deploy; rolling back.'],
      ['investigating', 'We are investigating failed checkouts.'],
    ]);
    html = (await firebreak.http.get('/status')).text;
    expect(html).toContain('All systems operational');
    expect(html).toMatch(/<h2 id="active-heading">Current incidents<\/h2>\s*<p>No current incidents.<\/p>/);
    expect(html).toMatch(/<h2 id="resolved-heading">Recently resolved<\/h2>\s*<article id="SP-1"/);
    expect(html).toContain('Status: <strong>Resolved</strong>');
    expect(html).toContain('<strong>Identified</strong>');
    expect(html).toContain('<p>Rolled back; checkouts succeed again.</p>');
  });
});
