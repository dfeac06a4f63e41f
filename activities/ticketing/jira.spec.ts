import { CapabilityFailure } from '../../core/capabilities/common';
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

  it('refuses invalid input before calling Jira', async () => {
    await expectFailure(env.run(activitiesFor().ticketingCreateTicket, ticket({ summary: '', labels: ['has space'] })), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /summary: .*labels\.0: labels hold no spaces/,
    });
    expect(jira.stub.requests).toHaveLength(0);
  });
});
