/**
 * The console in a real Chromium against a real Firebreak: what a responder does at 3 a.m.
 * Sign in, see an alert arrive without reloading, acknowledge it, run a runbook from its
 * generated form (a bad value, a dry run's plan, a real run to the end), approve a waiting
 * step; a viewer sees no action buttons; signing out ends the session for good.
 * Every wait is Playwright's own, bounded by the harness's timeout: no sleeps.
 */
import type { Page } from 'playwright-core';
import { TEST_KEYS, type TestFirebreak } from '../firebreak';
import type { HttpClient } from '../http';
import { type OpenConsole, openConsole, startConsoleFirebreak, waitUntilShown } from './harness';

/** The page's status line on an execution (its status badge), once it says `status`. */
const executionStatus = (page: Page, status: string) => page.locator('p.lead[role="status"]').filter({ hasText: status });

/** The control labelled `label` (a required field's label ends in "(required)"). */
const control = (page: Page, label: string) => page.getByLabel(new RegExp(`^${label}( \\(required\\))?$`));

/** The field (label, control, hint and error) of the control labelled `label`. */
const field = (page: Page, label: string) => page.locator('.field').filter({ has: control(page, label) });

describe('the console', () => {
  let firebreak: TestFirebreak;
  let responder: HttpClient;
  const opened: OpenConsole[] = [];
  const open = async (role?: 'admin' | 'responder' | 'viewer') => {
    const ui = await openConsole({ firebreak, role });
    opened.push(ui);
    return ui;
  };

  beforeAll(async () => {
    firebreak = await startConsoleFirebreak();
    responder = firebreak.as('responder');
  });
  afterEach(async () => {
    for (const ui of opened.splice(0)) {
      // A CSP refusal or an uncaught error is a failure of the page, whatever the test checked.
      const problems = ui.problems().filter((problem) => !/status of (401|409|400)/.test(problem));
      await ui.close();
      expect(problems).toEqual([]);
    }
  });
  afterAll(() => firebreak?.stop());

  it('signs in with a key pasted once; a wrong key is refused with the API’s reason', async () => {
    const { page } = await open();
    await page.goto('/incidents');
    await page.getByRole('heading', { name: 'Sign in to Firebreak' }).waitFor();

    await page.getByLabel('API key').fill('not-a-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'unknown API key' }).waitFor();

    await page.getByLabel('API key').fill(TEST_KEYS.responder);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('alertmanager').waitFor();
    expect(new URL(page.url()).pathname).toBe('/incidents');
    // The key went to the API once; the browser holds only the HttpOnly cookie.
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('shows an alert posted through the API without a reload, and acknowledges it from the incident page', async () => {
    const { page } = await open('responder');
    await page.goto('/incidents');
    await waitUntilShown(page, 'incidents');
    // A mark on this document: a reload would lose it.
    await page.evaluate('window.firebreakSameDocument = true');

    const summary = `Disk almost full on db-${Date.now().toString(36)}`;
    const posted = await responder.post('/v1/alerts', {
      source: 'alertmanager',
      summary,
      status: 'firing',
      severity: 'SEV2',
      service: 'orders-db',
      labels: { alertname: 'DiskFull', instance: 'db-1' },
      annotations: { dashboard: 'https://grafana.example.com/d/disk' },
      links: [
        { kind: 'silence', url: 'https://grafana.example.com/alerting/silence/new?matcher=alertname%3DDiskFull' },
        { kind: 'runbook', url: 'https://runbooks.example.com/disk', text: 'Disk runbook' },
      ],
    });
    expect(posted.status).toBe(202);

    const row = page.getByRole('row').filter({ hasText: summary });
    await row.waitFor();
    await row.getByText('SEV2').waitFor();
    await row.getByText('triggered').waitFor();
    expect(await page.evaluate('window.firebreakSameDocument')).toBe(true);

    // A search by title finds it; the filters go in the address.
    await page.getByRole('searchbox', { name: 'Title contains' }).fill(summary.slice(-12));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: '1 title matches' }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe(summary.slice(-12));

    await row.getByRole('link', { name: summary }).click();
    await page.getByRole('heading', { level: 1, name: summary }).waitFor();
    await page.getByRole('link', { name: /^dashboard/ }).waitFor();
    expect(await page.getByRole('link', { name: /^dashboard/ }).getAttribute('href')).toBe('https://grafana.example.com/d/disk');
    // The alert's own links, named by kind or by the text the sender gave.
    expect(await page.getByRole('link', { name: /^silence/ }).getAttribute('href')).toBe('https://grafana.example.com/alerting/silence/new?matcher=alertname%3DDiskFull');
    expect(await page.getByRole('link', { name: /^Disk runbook/ }).getAttribute('href')).toBe('https://runbooks.example.com/disk');

    const timeline = page.getByRole('list', { name: 'Timeline entries' });
    await page.getByRole('region', { name: 'Timeline' }).getByText('Newest first; live.').waitFor();
    await timeline.getByText(`Alert firing: ${summary}`).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await timeline.getByText(/triggered → acknowledged/).waitFor();
    await page.getByRole('term').filter({ hasText: 'Status' }).locator('xpath=..').getByText('acknowledged').waitFor();

    // A move the incident does not allow now: the API's 409 reason, on the page.
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('alert').filter({ hasText: 'the incident is already acknowledged' }).waitFor();
  });

  it('runs a runbook from its generated form: the field’s message, the dry run’s plan, then a real run to the end', async () => {
    const { page } = await open('responder');
    await page.goto('/runbooks');
    await page.getByRole('link', { name: 'Service health check' }).click();
    await page.getByRole('heading', { level: 1, name: 'Service health check' }).waitFor();

    // Generated from the JSON Schema: required fields, the default, the bounds.
    await field(page, 'Cluster').getByText('(required)').waitFor();
    expect(await control(page, 'Events').inputValue()).toBe('5');
    await field(page, 'Events').getByText('A whole number, 0 to 50.').waitFor();

    await control(page, 'Cluster').fill('prod-eu');
    await control(page, 'Service').fill('checkout');
    await control(page, 'Events').fill('500');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const eventsError = field(page, 'Events').locator('.field-error');
    await eventsError.waitFor();
    expect(await eventsError.textContent()).toMatch(/50/);
    expect(await control(page, 'Events').getAttribute('aria-invalid')).toBe('true');

    await control(page, 'Events').fill('3');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const plan = page.getByRole('list', { name: 'Planned steps' });
    await plan.getByText('scaling.describeService').waitFor();
    await page.getByRole('region', { name: 'Dry run plan' }).getByText('completed').waitFor();
    expect(await eventsError.count()).toBe(0);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/\/executions\/rbx-[0-9a-f]{12}$/);
    await executionStatus(page, 'completed').waitFor();
    await page.getByRole('table', { name: 'Steps in the order they ran' }).getByText('scaling.describeService').waitFor();
    await page.getByRole('region', { name: 'Outcome' }).getByText('completed').waitFor();
  });

  it('approves a waiting approval from the Approvals page, with a comment', async () => {
    // Launched by a commander: the admin who decides in the browser is not the launcher (four eyes).
    const launched = await firebreak.as('commander').post('/v1/runbooks/approval-demo/executions', { input: { approvers: ['admin'] } });
    expect(launched.status).toBe(201);
    const id = launched.body.id as string;

    const { page } = await open('admin');
    await page.goto('/approvals');
    await waitUntilShown(page, 'approvals');
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await page.getByText('Proceed with the risky step?').first().waitFor();

    await page.getByLabel('Comment').fill('Checked the dashboards: go ahead.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await executionStatus(page, 'completed').waitFor();
    await page.getByRole('region', { name: 'Approval decisions' }).getByText('Checked the dashboards: go ahead.', { exact: false }).waitFor();
    const answer = await responder.get(`/v1/executions/${id}`);
    expect(answer.body.outcome.result).toMatchObject({ outcome: 'approved', by: 'ops', comment: 'Checked the dashboards: go ahead.' });
  });

  it('shows a viewer no action buttons anywhere', async () => {
    const declared = await responder.post('/v1/incidents', { title: 'Viewer can look, not touch', severity: 'SEV3' });
    const waiting = await responder.post('/v1/runbooks/approval-demo/executions', { input: { approvers: ['viewer', 'responder'] } });
    expect([declared.status, waiting.status]).toEqual([201, 201]);

    const { page } = await open('viewer');
    await page.goto(`/incidents/${declared.body.id}`);
    await waitUntilShown(page, 'incident');
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('region', { name: 'Actions' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Declare' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Run a runbook for it' }).count()).toBe(0);

    await page.goto('/runbooks/service-health-check');
    await page.getByRole('heading', { level: 1, name: 'Service health check' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Run|Dry run)$/ }).count()).toBe(0);

    // Listed as an approver by role, a viewer still may not decide: the API would refuse it.
    await page.goto(`/executions/${waiting.body.id}`);
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    expect(await page.getByRole('button', { name: /^(Approve|Reject|Cancel the execution)$/ }).count()).toBe(0);

    // The only buttons left: signing out, and paging (disabled or not) where there is a list.
    await page.goto('/incidents');
    await waitUntilShown(page, 'incidents');
    expect(await page.getByRole('link', { name: 'Declare an incident' }).count()).toBe(0);
  });

  it('signs out: the session cookie no longer works', async () => {
    const { page, context } = await open('responder');
    await page.goto('/incidents');
    await waitUntilShown(page, 'incidents');
    const cookie = (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join('; ');
    expect(cookie).not.toBe('');
    expect((await firebreak.http.get('/v1/session', { cookie })).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Firebreak' }).waitFor();

    // The same cookie, replayed by anyone who kept it: refused.
    expect((await firebreak.http.get('/v1/session', { cookie })).status).toBe(401);
    expect((await firebreak.http.get('/v1/incidents', { cookie })).status).toBe(401);
    // And the page, opened again, asks to sign in.
    await page.goto('/incidents');
    await page.getByRole('heading', { name: 'Sign in to Firebreak' }).waitFor();
  });
});
