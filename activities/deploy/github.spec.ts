import { CancelledFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type ActivityEnvironment, activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { GITHUB_TOKEN, githubSettings, startGithubStub } from '../../test/vendors/github';
import { waitFor } from '../../test/wait';

const sha = (n: number) => String(n).repeat(40).slice(0, 40);

/** A step with room to wait: the activity's start-to-close bounds the wait. */
const STEP = { startToCloseTimeoutMs: 30_000 };

describe('GitHub deploy rollback (@octokit/rest against a GitHub stub)', () => {
  let github: Awaited<ReturnType<typeof startGithubStub>>;
  let env: ActivityEnvironment;
  let heartbeats: Array<Record<string, unknown>>;

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...githubSettings(github.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', DEPLOY_POLL_INTERVAL_MS: '10', ...extra });
  const target = { service: 'shop', scope: 'acme/shop', environment: 'production' };
  const rollbackTo = (ref: string, key = 'inc-6/rollback') => ({ idempotencyKey: key, target, to: { ref, id: '1' }, reason: 'v42 breaks checkout' });
  const watch = (environment: ActivityEnvironment) => {
    heartbeats = [];
    environment.on('heartbeat', (details: Record<string, unknown>) => heartbeats.push(details));
    return environment;
  };
  const statusReads = (id: number) => github.stub.calls('listStatuses').filter((call) => call.params.id === String(id)).length;

  beforeEach(async () => {
    github = await startGithubStub('acme', 'shop');
    github.seed(sha(1), 'v41', ['in_progress', 'success']);
    github.seed(sha(2), 'v42', ['in_progress', 'success']);
    env = watch(activityEnvironment(STEP));
  });
  afterEach(() => github.stub.stop());

  it('skips the required status checks only when the target says so (requireStatusChecks: false)', async () => {
    const { deployRollback } = activitiesFor();
    await env.run(deployRollback, { ...rollbackTo('v41', 'inc-9/rollback'), target: { ...target, requireStatusChecks: false } });
    expect(github.stub.calls('createDeployment')[0].body).toMatchObject({ ref: 'v41', required_contexts: [] });
    await watch(activityEnvironment(STEP)).run(deployRollback, { ...rollbackTo('v42', 'inc-10/rollback'), target: { ...target, requireStatusChecks: true } });
    expect(github.stub.calls('createDeployment')[1].body).not.toHaveProperty('required_contexts');
  });

  it('finds the current deployment and the last one that succeeded before it', async () => {
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

  it('creates one deployment carrying the key, waits while its statuses go queued → in_progress → success, and heartbeats', async () => {
    const { deployRollback } = activitiesFor();
    const result = await env.run(deployRollback, rollbackTo('v41'));
    expect(result).toEqual({ deploymentId: '3', ref: 'v41', created: true, stable: true, state: 'success' });
    expect(github.stub.calls('createDeployment')[0].body).toEqual({
      ref: 'v41',
      environment: 'production',
      task: 'deploy',
      auto_merge: false,
      description: 'v42 breaks checkout',
      payload: { firebreak: { idempotency_key: 'inc-6/rollback', rollback_of: '1' } },
    });
    // Required status checks are kept: `required_contexts` is left to GitHub.
    expect(github.stub.calls('createDeployment')[0].body).not.toHaveProperty('required_contexts');
    expect(statusReads(3)).toBe(3);
    expect(heartbeats.map((details) => details.state)).toEqual([undefined, 'queued', 'in_progress', 'success']);
    expect(heartbeats[0]).toEqual({ idempotencyKey: 'inc-6/rollback', deploymentId: '3', since: expect.any(Number) });
    // The CD system's success made the earlier deployment of v42 inactive.
    expect(github.deployments[1].statuses[0].state).toBe('inactive');

    // The same step again (its answer lost): found by its key, nothing created.
    const again = await watch(activityEnvironment(STEP)).run(deployRollback, rollbackTo('v41'));
    expect(again).toEqual({ ...result, created: false });
    expect(github.stub.count('deployment.create')).toBe(1);
  });

  it.each([
    ['failure', 'smoke tests failed on 2 of 3 hosts'],
    ['error', 'the deploy job could not start'],
  ])('fails the step, not retried, with the description when the CD system reports %s', async (state, description) => {
    github.deployWith({ states: ['queued', 'in_progress', state], description });
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('v41')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: new RegExp(`^GitHub deployment 3 of v41 to production ended ${state}: ${description}$`),
    });
    expect(github.stub.count('deployment.create')).toBe(1);
  });

  it('fails as superseded when a later deployment made the rollback inactive', async () => {
    github.deployWith({ states: ['queued', 'inactive'] });
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('v41')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /ended inactive: a later deployment to production superseded it/,
    });
  });

  it('resumes a restarted step on the deployment its first attempt recorded, creating none', async () => {
    const { deployRollback } = activitiesFor();
    // The first attempt created the deployment, then lost GitHub while waiting.
    github.stub.fail('listStatuses', { status: 502, body: { message: 'Server Error' } });
    await expectFailure(env.run(deployRollback, rollbackTo('v41')), { type: CapabilityFailure.Unavailable, nonRetryable: false });
    const recorded = heartbeats.at(-1)!;
    expect(recorded).toMatchObject({ idempotencyKey: 'inc-6/rollback', deploymentId: '3' });
    const listings = github.stub.calls('listDeployments').length;

    const second = watch(activityEnvironment({ ...STEP, attempt: 2, heartbeatDetails: recorded }));
    expect(await second.run(deployRollback, rollbackTo('v41'))).toEqual({ deploymentId: '3', ref: 'v41', created: false, stable: true, state: 'success' });
    expect(github.stub.count('deployment.create')).toBe(1);
    expect(github.stub.calls('listDeployments').length).toBe(listings);
  });

  it('fails OutOfBounds, not retried, when no final status comes within the step timeout', async () => {
    github.deployWith({ states: ['queued'] });
    const short = watch(activityEnvironment({ startToCloseTimeoutMs: 400 }));
    await expectFailure(short.run(activitiesFor().deployRollback, rollbackTo('v41')), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^GitHub deployment 3 of v41 to production did not reach a final state within the step's timeout .*its last state: queued$/,
    });
    expect(heartbeats.length).toBeGreaterThan(2);
  });

  it('stops waiting when the step is cancelled', async () => {
    github.deployWith({ states: ['queued'] });
    const waiting = env.run(activitiesFor().deployRollback, rollbackTo('v41'));
    await waitFor('the wait to heartbeat', () => heartbeats.some((details) => details.state === 'queued'));
    env.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('refuses an unknown ref for good, maps rate limits to throttling, and never shows the token', async () => {
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('no-such-ref')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /GitHub create deployment of no-such-ref failed: HTTP 422: No ref found for: no-such-ref/,
    });
    expect(github.stub.count('deployment.create')).toBe(0);
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

  it('maps 429, 5xx and silence to retryable failures, when listing and while waiting', async () => {
    const { deployFindReleases, deployRollback } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectTransientFaultsRetried(github.stub, 'listDeployments', () => env.run(deployFindReleases, { target }));
    await expectTransientFaultsRetried(github.stub, 'createDeployment', () => env.run(deployRollback, rollbackTo('v41', 'inc-7/rollback')));
    await expectTransientFaultsRetried(github.stub, 'listStatuses', () => env.run(deployRollback, rollbackTo('v41', 'inc-8/rollback')));
    // The faults on create stopped it before GitHub acted; the faults while waiting each met
    // the one deployment of the step, found again by its key.
    expect(github.stub.count('deployment.create')).toBe(1);
  });
});
