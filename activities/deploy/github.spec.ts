import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { GITHUB_TOKEN, githubSettings, startGithubStub } from '../../test/vendors/github';

const sha = (n: number) => String(n).repeat(40).slice(0, 40);

describe('GitHub deploy rollback (@octokit/rest against a GitHub stub)', () => {
  let github: Awaited<ReturnType<typeof startGithubStub>>;
  const env = activityEnvironment();

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...githubSettings(github.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', ...extra });
  const target = { service: 'shop', scope: 'acme/shop', environment: 'production' };

  beforeEach(async () => {
    github = await startGithubStub('acme', 'shop');
  });
  afterEach(() => github.stub.stop());

  it('finds the current deployment and the last one that succeeded before it', async () => {
    github.seed(sha(1), 'v40', ['in_progress', 'success']);
    github.seed(sha(2), 'v41', ['in_progress', 'success']);
    github.seed(sha(3), 'v42-broken', ['in_progress', 'failure']);
    github.seed(sha(4), 'v43', ['in_progress', 'success'], 'staging');
    github.seed(sha(3), 'v42-retry', ['in_progress', 'success']);

    const releases = await env.run(activitiesFor().deployFindReleases, { target });
    expect(releases).toEqual({
      current: { ref: sha(3), id: '5', createdAt: expect.any(String) },
      previousGood: { ref: sha(2), id: '2', createdAt: expect.any(String) },
    });
    const list = github.stub.calls('listDeployments')[0];
    expect(list.headers.authorization).toBe(`token ${GITHUB_TOKEN}`);
    expect(Object.fromEntries(list.query)).toEqual({ environment: 'production', per_page: '100' });

    expect(await env.run(activitiesFor().deployFindReleases, { target: { ...target, environment: 'qa' } })).toEqual({
      current: null,
      previousGood: null,
    });
  });

  it('creates one rollback deployment per step, carrying the key in its payload, and reports its status', async () => {
    github.seed(sha(1), 'v41', ['success']);
    github.seed(sha(2), 'v42', ['failure']);
    const { deployRollback } = activitiesFor();
    const rollback = { idempotencyKey: 'inc-6/rollback', target, to: { ref: sha(1), id: '1' }, reason: 'v42 breaks checkout' };

    const first = await env.run(deployRollback, rollback);
    expect(first).toEqual({ deploymentId: '3', ref: sha(1), created: true, stable: false });
    expect(github.stub.calls('createDeployment')[0].body).toEqual({
      ref: sha(1),
      environment: 'production',
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      description: 'v42 breaks checkout',
      payload: { firebreak: { idempotency_key: 'inc-6/rollback', rollback_of: '1' } },
    });

    github.report(3, 'success');
    const second = await env.run(deployRollback, rollback);
    expect(second).toEqual({ deploymentId: '3', ref: sha(1), created: false, stable: true });
    expect(github.stub.count('deployment.create')).toBe(1);
  });

  it('maps refusals to permanent failures, rate limits to throttling, and never shows the token', async () => {
    const rollback = { idempotencyKey: 'k', target, to: { ref: 'no-such-ref', id: '0' } };
    await expectFailure(env.run(activitiesFor().deployRollback, rollback), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /GitHub create deployment failed: HTTP 422: No ref found for: no-such-ref/,
    });
    await expectFailure(env.run(activitiesFor({ GITHUB_TOKEN: 'ghp_wrongtoken123' }).deployFindReleases, { target }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 401: Bad credentials/,
      secrets: ['ghp_wrongtoken123', GITHUB_TOKEN],
    });
    github.stub.fail('listDeployments', {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'retry-after': '30' },
      body: { message: 'API rate limit exceeded' },
    });
    await expectFailure(env.run(activitiesFor().deployFindReleases, { target }), {
      type: CapabilityFailure.Throttled,
      nonRetryable: false,
      nextRetryDelay: 30_000,
    });
    await expectFailure(env.run(activitiesFor().deployFindReleases, { target: { ...target, scope: 'not a repo' } }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
    });
  });

  it('maps 429, 5xx and silence to retryable failures', async () => {
    const { deployFindReleases } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(github.stub, 'listDeployments', () => env.run(deployFindReleases, { target }));
  });
});
