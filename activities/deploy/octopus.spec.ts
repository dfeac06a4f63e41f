import { CancelledFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type ActivityEnvironment, activityEnvironment, configuredActivities, expectFailure } from '../../test/vendors/activity';
import { OCTOPUS_API_KEY, OCTOPUS_SPACE_ID, octopusSettings, startOctopusStub } from '../../test/vendors/octopus';
import type { StubServer } from '../../test/vendors/stub-server';
import { waitFor } from '../../test/wait';

/** A step with room to wait: the activity's start-to-close bounds the wait. */
const STEP = { startToCloseTimeoutMs: 30_000 };

describe('Octopus deploy rollback (@octopusdeploy/api-client against an Octopus stub)', () => {
  let octopus: Awaited<ReturnType<typeof startOctopusStub>>;
  let env: ActivityEnvironment;
  let heartbeats: Array<Record<string, unknown>>;

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...octopusSettings(octopus.stub.url), INTEGRATIONS_TIMEOUT_MS: '1000', DEPLOY_POLL_INTERVAL_MS: '10', ...extra });
  const target = { service: 'shop', scope: 'shop', environment: 'Production' };
  const rollbackTo = (version: string, key = 'inc-6/rollback') => ({ idempotencyKey: key, target, to: { ref: version, id: 'Releases-1' }, reason: 'bad deploy' });
  const watch = (environment: ActivityEnvironment) => {
    heartbeats = [];
    environment.on('heartbeat', (details: Record<string, unknown>) => heartbeats.push(details));
    return environment;
  };

  beforeEach(async () => {
    octopus = await startOctopusStub();
    octopus.seed('shop', '1.4.0', 'Production', 'Success');
    octopus.seed('shop', '1.4.1', 'Production', 'Success');
    octopus.seed('shop', '1.4.2', 'Production', 'Success');
    env = watch(activityEnvironment(STEP));
  });
  afterEach(() => octopus.stub.stop());

  it('finds the release deployed now and the newest other release that deployed successfully', async () => {
    octopus.seed('shop', '1.4.3', 'Production', 'Failed');
    octopus.seed('shop', '1.5.0', 'Staging', 'Success');
    const releases = await env.run(activitiesFor().deployFindReleases, { target });
    expect(releases).toEqual({
      current: { ref: '1.4.3', id: 'Releases-4', createdAt: expect.any(String) },
      previousGood: { ref: '1.4.2', id: 'Releases-3', createdAt: expect.any(String) },
    });
    const lists = octopus.stub.calls('listDeployments');
    expect(lists.map((call) => Object.fromEntries(call.query))).toEqual([
      { projects: 'Projects-1', environments: 'Environments-1', take: '30' },
      { projects: 'Projects-1', environments: 'Environments-1', taskState: 'Success', take: '30' },
    ]);
    expect(lists.every((call) => call.headers['x-octopus-apikey'] === OCTOPUS_API_KEY && call.path.startsWith(`/api/${OCTOPUS_SPACE_ID}/`))).toBe(true);

    expect(await env.run(activitiesFor().deployFindReleases, { target: { ...target, environment: 'Staging' } })).toEqual({
      current: { ref: '1.5.0', id: 'Releases-5', createdAt: expect.any(String) },
      previousGood: null,
    });
  });

  it('deploys the release once, waits while its task goes Queued → Executing → Success, and heartbeats', async () => {
    const { deployRollback } = activitiesFor();
    const result = await env.run(deployRollback, rollbackTo('1.4.1'));
    expect(result).toEqual({ deploymentId: 'Deployments-4', ref: '1.4.1', created: true, stable: true, state: 'Success' });
    const create = octopus.stub.calls('createDeployment')[0];
    expect(create.method).toBe('POST');
    expect(create.path).toBe(`/api/${OCTOPUS_SPACE_ID}/deployments/create/untenanted/v1`);
    expect(create.headers['x-octopus-apikey']).toBe(OCTOPUS_API_KEY);
    expect(create.body).toMatchObject({ spaceIdOrName: 'Default', ProjectName: 'shop', ReleaseVersion: '1.4.1', EnvironmentNames: ['Production'] });
    expect(octopus.stub.calls('getTask').map((call) => call.path)).toEqual(Array(3).fill(`/api/${OCTOPUS_SPACE_ID}/tasks/ServerTasks-4`));
    expect(heartbeats.map((details) => details.state)).toEqual([undefined, 'Queued', 'Executing', 'Success']);
    expect(heartbeats[0]).toEqual({ idempotencyKey: 'inc-6/rollback', deploymentId: 'Deployments-4', taskId: 'ServerTasks-4', since: expect.any(Number) });
  });

  it.each([
    ['Failed', 'Step 2 (Deploy web) failed: health check returned 503'],
    ['TimedOut', 'The task timed out after 30 minutes'],
    ['Canceled', 'The task was canceled by Ada'],
  ])('fails the step, not retried, with the task error when it ends %s', async (state, error) => {
    octopus.runWith({ states: ['Queued', 'Executing', state], error });
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('1.4.1')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: new RegExp(`^Octopus deployment Deployments-4 of shop 1\\.4\\.1 to Production ended ${state}: ${error.replace(/[()]/g, '\\$&')}$`),
    });
    expect(octopus.stub.count('deployment.create')).toBe(1);
  });

  it('resumes a restarted step on the task its first attempt recorded, deploying nothing more', async () => {
    const { deployRollback } = activitiesFor();
    octopus.stub.fail('getTask', { status: 503, body: { ErrorMessage: 'Octopus Server is starting', Errors: [] } });
    await expectFailure(env.run(deployRollback, rollbackTo('1.4.1')), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /Octopus read task ServerTasks-4 failed: HTTP 503: Octopus Server is starting/,
    });
    const recorded = heartbeats.at(-1)!;
    const searches = octopus.stub.calls('listDeployments').length;
    const second = watch(activityEnvironment({ ...STEP, attempt: 2, heartbeatDetails: recorded }));
    expect(await second.run(deployRollback, rollbackTo('1.4.1'))).toEqual({
      deploymentId: 'Deployments-4',
      ref: '1.4.1',
      created: false,
      stable: true,
      state: 'Success',
    });
    expect(octopus.stub.count('deployment.create')).toBe(1);
    expect(octopus.stub.calls('listDeployments').length).toBe(searches);
  });

  it('finds the deployment a lost answer made, by release and time, and never takes an older one for its own', async () => {
    const { deployRollback } = activitiesFor();
    octopus.stub.fail('createDeployment', 'act-then-hang');
    await expectFailure(env.run(deployRollback, rollbackTo('1.4.1')), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /timed out/ });
    expect(octopus.stub.count('deployment.create')).toBe(1);
    const made = octopus.deployments.at(-1)!;
    const retried = activityEnvironment({ ...STEP, attempt: 2, scheduledTimestampMs: Date.parse(made.Created) - 5_000 });
    expect(await retried.run(deployRollback, rollbackTo('1.4.1'))).toMatchObject({ deploymentId: made.Id, created: false, state: 'Success' });
    expect(octopus.stub.count('deployment.create')).toBe(1);

    // Rolling forward to 1.4.2: its own deployment is older than the rollback's, so it deploys.
    const forward = activityEnvironment({ ...STEP, scheduledTimestampMs: Date.parse(made.Created) + 60_000 });
    expect(await forward.run(deployRollback, rollbackTo('1.4.2', 'inc-6/roll-forward'))).toMatchObject({ deploymentId: 'Deployments-5', created: true });
    // A step scheduled well after the newest deployment of its release does not take it either.
    const later = activityEnvironment({ ...STEP, scheduledTimestampMs: Date.parse(octopus.deployments.at(-1)!.Created) + 10 * 60_000 });
    expect(await later.run(deployRollback, rollbackTo('1.4.2', 'inc-7/roll-forward'))).toMatchObject({ deploymentId: 'Deployments-6', created: true });
    expect(octopus.stub.count('deployment.create')).toBe(3);
  });

  it('fails OutOfBounds, not retried, when the task does not finish within the step timeout; stops when cancelled', async () => {
    octopus.runWith({ states: ['Queued', 'Executing'] });
    const short = watch(activityEnvironment({ startToCloseTimeoutMs: 400 }));
    await expectFailure(short.run(activitiesFor().deployRollback, rollbackTo('1.4.1')), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /did not reach a final state within the step's timeout .*its last state: Executing$/,
    });

    const waiting = env.run(activitiesFor().deployRollback, rollbackTo('1.4.1', 'inc-8/rollback'));
    await waitFor('the wait to heartbeat', () => heartbeats.some((details) => details.state === 'Executing'));
    env.cancel();
    await expect(waiting).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('refuses, for good and by name, a release, project, environment or space Octopus does not know, and a wrong key', async () => {
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('9.9.9')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Octopus project "shop" has no release "9\.9\.9"$/,
    });
    await expectFailure(env.run(activitiesFor().deployFindReleases, { target: { ...target, scope: 'billing' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /no project named "billing" in space "Default"/,
    });
    await expectFailure(env.run(activitiesFor().deployRollback, { ...rollbackTo('1.4.1'), target: { ...target, environment: 'Moon' } }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /no environment named "Moon"/,
    });
    await expectFailure(env.run(activitiesFor({ OCTOPUS_SPACE: 'Elsewhere' }).deployFindReleases, { target }), {
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
      message: /no space named "Elsewhere" \(OCTOPUS_SPACE\)/,
    });
    await expectFailure(env.run(activitiesFor({ OCTOPUS_API_KEY: 'API-WRONGKEY123' }).deployFindReleases, { target }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /HTTP 401: You must be logged in/,
      secrets: ['API-WRONGKEY123', OCTOPUS_API_KEY],
    });
    // Octopus's own refusal of the deploy command, in its words.
    octopus.stub.fail('createDeployment', { status: 400, body: { ErrorMessage: 'There was a problem with your request.', Errors: ['Deployments to Production are frozen'] } });
    await expectFailure(env.run(activitiesFor().deployRollback, rollbackTo('1.4.1')), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /deploy release 1\.4\.1 of shop to Production failed: HTTP 400: There was a problem with your request\.; Deployments to Production are frozen/,
    });
    expect(octopus.stub.count('deployment.create')).toBe(0);
  });

  /** 429 and 5xx are retried (the client keeps no Retry-After: Temporal's back-off applies), as is silence. */
  async function expectRetried(stub: StubServer, route: string, run: () => Promise<unknown>) {
    stub.fail(route, { status: 429, headers: { 'retry-after': '7' }, body: { ErrorMessage: 'Too many requests', Errors: [] } });
    await expectFailure(run(), { type: CapabilityFailure.Throttled, nonRetryable: false, message: /HTTP 429: Too many requests/ });
    stub.fail(route, { status: 503, body: 'upstream unavailable' });
    await expectFailure(run(), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /HTTP 503/ });
    stub.fail(route, 'hang');
    await expectFailure(run(), { type: CapabilityFailure.Unavailable, nonRetryable: false, message: /no answer \(timed out\)/ });
  }

  it('maps 429, 5xx and silence to retryable failures, from the first call to the wait', async () => {
    const { deployFindReleases, deployRollback } = activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' });
    await expectRetried(octopus.stub, 'root', () => env.run(activitiesFor({ INTEGRATIONS_TIMEOUT_MS: '300' }).deployFindReleases, { target }));
    await expectRetried(octopus.stub, 'listDeployments', () => env.run(deployFindReleases, { target }));
    await expectRetried(octopus.stub, 'createDeployment', () => env.run(deployRollback, rollbackTo('1.4.1', 'inc-9/rollback')));
    await expectRetried(octopus.stub, 'getTask', () => env.run(deployRollback, rollbackTo('1.4.1', 'inc-10/rollback')));
    // The faults on create came before Octopus acted; each retry of the wait found the one deployment.
    expect(octopus.stub.count('deployment.create')).toBe(1);
  });
});
