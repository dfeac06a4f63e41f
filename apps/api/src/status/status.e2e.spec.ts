import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../../../../activities';
import { CapabilityFailure } from '../../../../core/schemas/capabilities/common';
import { localIntegrations } from '../../../../core/schemas/integrations-config';
import { STATUS_PAGE_BOUNDS } from '../../../../core/model/status-page-bounds';
import { statusPageWorkflowId } from '../../../../core/model/status-page-messages';
import { TestFirebreak } from '../../../../test/firebreak';
import { metricValue } from '../../../../test/metrics';
import { sharedTemporalAddress } from '../../../../test/temporal';
import { activityEnvironment, expectFailure } from '../../../../test/vendors/activity';

describe('GET /status and /status.json (the local status page, end to end)', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    // Read on every request, so each step below shows at once.
    firebreak = await TestFirebreak.start({ env: { STATUS_CACHE_MS: '0' } });
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
    expect(json.activeIncidents).toEqual([expect.objectContaining({ id: opened.id, title: 'Checkout <slow> & failing', status: 'investigating' })]);
    expect(json.activeIncidents[0]).not.toHaveProperty('incidentId');
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
    expect(json.resolvedIncidents[0]).toMatchObject({ id: opened.id, status: 'resolved', resolvedAt: expect.any(String), earlierUpdates: 0 });
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

  it('shows an incident its public title and messages only: no incident id, no internal title', async () => {
    const responder = firebreak.as('responder');
    const internalTitle = 'db-primary-7 OOM-killed after runaway query from batch-exporter';
    const declared = await responder.post('/v1/incidents', { title: internalTitle, severity: 'SEV2', service: 'checkout' });
    expect(declared.status).toBe(201);
    const id: string = declared.body.id;
    // Posting to the public page is a commander's.
    const posted = await firebreak.as('commander').post(`/v1/incidents/${id}/actions`, { action: 'post-status-update', message: 'Some checkouts fail; we are on it.' });
    expect(posted.status).toBe(200);

    const json = await firebreak.http.get('/status.json');
    expect(json.text).not.toContain(id);
    expect(json.text).not.toContain(internalTitle);
    expect(json.body.activeIncidents[0]).toEqual({
      id: expect.stringMatching(/^SP-\d+$/),
      title: 'Degraded service: checkout',
      status: 'investigating',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      components: {},
      updates: [{ at: expect.any(String), status: 'investigating', message: 'Some checkouts fail; we are on it.' }],
      earlierUpdates: 0,
    });
    const html = await firebreak.http.get('/status');
    expect(html.text).not.toContain(id);
    expect(html.text).not.toContain(internalTitle);

    // A commander may give the public title; the first update uses it.
    const other = (await responder.post('/v1/incidents', { title: 'internal: payments-gw 502s', severity: 'SEV3' })).body.id;
    await firebreak.as('commander').post(`/v1/incidents/${other}/actions`, { action: 'post-status-update', title: 'Card payments delayed', message: 'Investigating.' });
    const titles = (await firebreak.http.get('/status.json')).body.activeIncidents.map((incident: { title: string }) => incident.title);
    expect(titles).toEqual(['Card payments delayed', 'Degraded service: checkout']);
  });

  it('stays truthful after status updates well past its bounds', async () => {
    const responder = firebreak.as('responder');
    const id = (await responder.post('/v1/incidents', { title: 'bounded', severity: 'SEV2', service: 'search' })).body.id;
    const posts = STATUS_PAGE_BOUNDS.updatesPerActiveIncident + 10;
    for (let i = 0; i < posts; i += 1) {
      const answer = await firebreak.as('commander').post(`/v1/incidents/${id}/actions`, {
        action: 'post-status-update',
        status: 'identified',
        message: `update ${i}: ${'details '.repeat(1_200)}`,
        components: { Search: 'partial_outage' },
      });
      expect(answer.status).toBe(200);
    }
    const json = (await firebreak.http.get('/status.json')).body;
    expect(json.overall).toBe('partial_outage');
    const shown = json.activeIncidents.find((incident: { title: string }) => incident.title === 'Degraded service: search');
    expect(shown.updates).toHaveLength(STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    expect(shown.earlierUpdates).toBe(posts - STATUS_PAGE_BOUNDS.updatesPerActiveIncident);
    expect(shown.updates[0].message).toMatch(new RegExp(`^update ${posts - 1}: (details )+.*…$`));
    const html = (await firebreak.http.get('/status')).text;
    expect(html).not.toContain('All systems operational');
    expect(html).toContain(`${posts - STATUS_PAGE_BOUNDS.updatesPerActiveIncident} earlier updates not shown.`);
  });

  it('answers 503 "status unknown", never a green page, once the status workflow is terminated, and is not silently restarted', async () => {
    await temporal.workflow.getHandle(statusPageWorkflowId(firebreak.taskQueue)).terminate('test: the page died');

    const html = await firebreak.http.get('/status');
    expect(html.status).toBe(503);
    expect(html.text).toContain('Status unknown');
    expect(html.text).not.toContain('All systems operational');
    expect(html.headers.get('cache-control')).toBe('no-store');
    expect(Number(html.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const json = await firebreak.http.get('/status.json');
    expect(json.status).toBe(503);
    expect(json.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'status unknown: the status page is not running' });

    // A status step does not start a fresh (empty, green) page in its place.
    const activities = createActivities({ config: localIntegrations(), temporal });
    await expectFailure(
      activityEnvironment({ taskQueue: firebreak.taskQueue }).run(activities.statusPageOpenIncident, {
        idempotencyKey: 'after-death/open',
        incidentId: 'inc-after',
        title: 'After',
        message: 'x',
      }),
      { type: CapabilityFailure.Rejected, nonRetryable: true, message: /status page workflow .* is closed; an operator must restore it/ },
    );
    expect((await firebreak.http.get('/status.json')).status).toBe(503);
  });
});

describe('public status reads from a shared cache', () => {
  let firebreak: TestFirebreak;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({ env: { STATUS_CACHE_MS: '60000' } });
  });
  afterAll(() => firebreak?.stop());

  const reads = async () => metricValue((await firebreak.as('viewer').get('/metrics')).text, 'firebreak_status_page_reads_total{outcome="ok"}');

  it('answers concurrent requests from one read, with ETag, 304 on If-None-Match and Cache-Control max-age', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, () => firebreak.http.get('/status.json')),
      ...Array.from({ length: 5 }, () => firebreak.http.get('/status')),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(25).fill(200));
    expect(await reads()).toBe(1);

    const json = answers[0];
    const etag = json.headers.get('etag')!;
    expect(etag).toMatch(/^"j-[A-Za-z0-9_-]+"$/);
    expect(json.headers.get('cache-control')).toBe('public, max-age=60');
    expect(new Set(answers.slice(0, 20).map((answer) => answer.headers.get('etag')))).toEqual(new Set([etag]));
    const htmlEtag = answers[20].headers.get('etag')!;
    expect(htmlEtag).not.toBe(etag);

    const unchanged = await firebreak.http.get('/status.json', { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect((await firebreak.http.get('/status', { 'if-none-match': `W/${htmlEtag}` })).status).toBe(304);
    expect((await firebreak.http.get('/status.json', { 'if-none-match': '"other"' })).status).toBe(200);
    expect(await reads()).toBe(1);
  });
});
