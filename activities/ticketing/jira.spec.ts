import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { JIRA_CREDENTIALS, jiraSettings, startJiraStub } from '../../test/vendors/jira';

describe('Jira ticketing (jira-client against a Jira stub)', () => {
  let jira: Awaited<ReturnType<typeof startJiraStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...jiraSettings(jira.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const ticket = (overrides: Record<string, unknown> = {}) => ({
    idempotencyKey: 'inc-1/create-ticket',
    incidentId: 'inc-1',
    summary: 'Checkout latency above 2s',
    description: 'p99 went from 300ms to 2.4s',
    priority: 'P1' as const,
    labels: ['checkout'],
    incidentUrl: 'https://firebreak.example.com/v1/incidents/inc-1',
    ...overrides,
  });

  beforeEach(async () => {
    jira = await startJiraStub('OPS');
  });
  afterEach(() => jira.stub.stop());

  it('searches for the step label, then creates one issue with the documented fields', async () => {
    const { ticketingCreateTicket } = activitiesFor();
    const created = await env.run(ticketingCreateTicket, ticket());

    expect(created).toEqual({ key: 'OPS-1', url: `${jira.stub.url}/browse/OPS-1`, created: true });
    expect(jira.stub.requests.map((r) => r.route)).toEqual(['searchJql', 'createIssue']);
    const [search, create] = jira.stub.requests;
    expect(search.query.get('jql')).toMatch(/^project = "OPS" AND labels = "firebreak-[0-9a-f]{16}"/);
    expect(create.headers['content-type']).toContain('application/json');
    expect(create.body.fields).toEqual({
      project: { key: 'OPS' },
      issuetype: { name: 'Task' },
      summary: 'Checkout latency above 2s',
      description: 'p99 went from 300ms to 2.4s\n\nIncident: https://firebreak.example.com/v1/incidents/inc-1',
      labels: ['checkout', 'firebreak', expect.stringMatching(/^firebreak-[0-9a-f]{16}$/)],
      priority: { name: 'Highest' },
    });
  });

  it('creates exactly one issue when the same step runs twice, on either search API', async () => {
    for (const searchApi of ['jql', 'legacy']) {
      const { ticketingCreateTicket } = activitiesFor({ JIRA_SEARCH_API: searchApi });
      const key = `inc-2/create-ticket-${searchApi}`;
      const first = await env.run(ticketingCreateTicket, ticket({ idempotencyKey: key }));
      const second = await env.run(ticketingCreateTicket, ticket({ idempotencyKey: key }));
      expect(second).toEqual({ ...first, created: false });
    }
    expect(jira.stub.count('issue.create')).toBe(2);
    expect(jira.stub.calls('searchLegacy')).toHaveLength(2);
  });

  it('comments once per step (marker in a comment property) and transitions only when needed', async () => {
    const { ticketingCreateTicket, ticketingComment, ticketingTransition } = activitiesFor();
    const { key } = await env.run(ticketingCreateTicket, ticket());

    const comment = { idempotencyKey: 'inc-1/note-1', ticketKey: key, body: 'Rolled back to v41' };
    await env.run(ticketingComment, comment);
    await env.run(ticketingComment, comment);
    await env.run(ticketingComment, { ...comment, idempotencyKey: 'inc-1/note-2' });
    expect(jira.stub.count('comment.create')).toBe(2);
    expect(jira.issues.get(key)!.comments[0].properties).toEqual([
      { key: 'firebreak', value: { step: expect.stringMatching(/^[0-9a-f]{16}$/) } },
    ]);

    await env.run(ticketingTransition, { idempotencyKey: 'inc-1/close', ticketKey: key, to: 'done' });
    await env.run(ticketingTransition, { idempotencyKey: 'inc-1/close', ticketKey: key, to: 'Done' });
    expect(jira.stub.count('issue.transition')).toBe(1);
    expect(jira.issues.get(key)!.fields.status).toBe('Done');

    await expectFailure(env.run(ticketingTransition, { idempotencyKey: 'inc-1/x', ticketKey: key, to: 'Archived' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /no transition to "Archived"/,
    });
  });

  it('maps refusals to permanent failures with the vendor message and never the token', async () => {
    await expectFailure(env.run(activitiesFor({ JIRA_PROJECT_KEY: 'NOPE' }).ticketingCreateTicket, ticket()), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Jira create issue failed: HTTP 400: project: valid project is required/,
      secrets: [JIRA_CREDENTIALS.token],
    });
    await expectFailure(env.run(activitiesFor({ JIRA_API_TOKEN: 'wrong-token-123' }).ticketingCreateTicket, ticket()), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 401: You are not authenticated/,
      secrets: ['wrong-token-123', JIRA_CREDENTIALS.token],
    });
    await expectFailure(
      env.run(activitiesFor().ticketingComment, { idempotencyKey: 'k', ticketKey: 'OPS-404', body: 'hello' }),
      { type: CapabilityFailure.Rejected, nonRetryable: true, message: /HTTP 404: Issue does not exist/ },
    );
    expect(jira.stub.count('issue.create')).toBe(0);
  });

  it('maps 429, 5xx and silence to retryable failures, honouring Retry-After', async () => {
    const { ticketingCreateTicket } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(jira.stub, 'searchJql', () => env.run(ticketingCreateTicket, ticket()));
    jira.stub.fail('createIssue', { status: 500, body: { errorMessages: ['Internal server error'] } });
    await expectFailure(env.run(ticketingCreateTicket, ticket()), { type: CapabilityFailure.Unavailable, nonRetryable: false });
    expect(jira.stub.count('issue.create')).toBe(0);
  });

  it('fits a long summary, labels with spaces and a long description to what Jira takes', async () => {
    const { ticketingCreateTicket } = activitiesFor();
    const service = 'Checkout Payments Gateway EU West '.repeat(5).slice(0, 150);
    const title = 'Checkout is down for every customer in the EU '.repeat(5).slice(0, 200);
    await env.run(
      ticketingCreateTicket,
      ticket({ summary: `[SEV1] ${title}\nsecond line ${'x'.repeat(100)}`, labels: ['incident', `service-${service}`, 'y'.repeat(300)], description: 'd'.repeat(40_000) }),
    );
    const { fields } = jira.stub.calls('createIssue')[0].body;
    expect(fields.summary).toHaveLength(255);
    expect(fields.summary).toMatch(/^\[SEV1\] Checkout is down .* second line x+…$/);
    expect(fields.labels.slice(0, 2)).toEqual(['incident', `service-${service.trim().replace(/\s+/g, '-')}`]);
    expect(fields.labels[2]).toMatch(/^y{238}~[0-9a-f]{16}$/);
    expect(fields.description.length).toBeLessThanOrEqual(32_767);
    expect(fields.description).toMatch(/^d+…\n\nIncident: https:\/\/firebreak\.example\.com\/v1\/incidents\/inc-1$/);
    expect(jira.stub.count('issue.create')).toBe(1);
  });

  it('escapes wiki markup in descriptions and comments: links, images, mentions and macros arrive as text', async () => {
    const { ticketingCreateTicket, ticketingComment } = activitiesFor();
    const hostile = '[log in here|http://evil.example] !http://t.example/p.gif! [~admin] {color:red}*urgent*{color}\nh1. Fake heading';
    const { key } = await env.run(ticketingCreateTicket, ticket({ description: hostile }));
    const escaped = '\\[log in here\\|http://evil.example\\] \\!http://t.example/p.gif\\! \\[\\~admin\\] \\{color:red\\}\\*urgent\\*\\{color\\}\nh\u200b1. Fake heading';
    expect(jira.stub.calls('createIssue')[0].body.fields.description).toBe(`${escaped}\n\nIncident: https://firebreak.example.com/v1/incidents/inc-1`);
    await env.run(ticketingComment, { idempotencyKey: 'inc-1/hostile-comment', ticketKey: key, body: hostile });
    expect(jira.stub.calls('addComment')[0].body.body).toBe(escaped);
  });

  it('refuses invalid input before calling Jira', async () => {
    await expectFailure(env.run(activitiesFor().ticketingCreateTicket, ticket({ summary: '', labels: [''] })), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /summary: .*labels\.0: /,
    });
    expect(jira.stub.requests).toHaveLength(0);
  });
});
