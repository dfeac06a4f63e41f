import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { activityEnvironment, configuredActivities, expectFailure } from '../test/vendors/activity';

describe('the built-in local adapters (the defaults: no credentials needed)', () => {
  const env = activityEnvironment();
  const local = (settings: Record<string, string> = {}) => configuredActivities(settings);

  it('registers exactly the activities workflows call', () => {
    expect(Object.keys(local()).sort()).toEqual(
      [
        'ticketingCreateTicket',
        'ticketingComment',
        'ticketingTransition',
        'chatCreateChannel',
        'chatInvite',
        'chatPostMessage',
        'chatUpdateMessage',
        'chatSetTopic',
        'videoCreateMeeting',
        'statusPageOpenIncident',
        'statusPageUpdateIncident',
        'statusPageSetComponentStatus',
        'deployFindReleases',
        'deployRollback',
        'scalingDescribeService',
        'scalingScaleService',
        'pagingPage',
        'notificationSend',
        'monitoringListAlarms',
        'kubernetesDescribeDeployment',
        'kubernetesScaleDeployment',
        'kubernetesRestartDeployment',
        'kubernetesRollbackDeployment',
        'ssmRunCommand',
        'httpRequest',
      ].sort(),
    );
  });

  it('answers tickets, channels and messages derived from the idempotency key: the same step, the same answer', async () => {
    const { ticketingCreateTicket, chatCreateChannel, chatPostMessage } = local();
    const ticket = { idempotencyKey: 'inc-1/ticket', incidentId: 'inc-1', summary: 'Checkout latency' };
    const first = await env.run(ticketingCreateTicket, ticket);
    expect(first).toEqual({ key: expect.stringMatching(/^LOCAL-[0-9A-F]{8}$/), url: `/v1/incidents/inc-1#${first.key}`, created: true });
    expect(await env.run(ticketingCreateTicket, ticket)).toEqual(first);
    expect((await env.run(ticketingCreateTicket, { ...ticket, idempotencyKey: 'inc-1/other' })).key).not.toBe(first.key);

    const channel = await env.run(chatCreateChannel, { idempotencyKey: 'inc-1/channel', incidentId: 'inc-1', name: 'INC 1: Checkout!' });
    expect(channel).toEqual({ id: expect.stringMatching(/^local-/), name: 'inc-1-checkout', url: '/v1/incidents/inc-1/events', created: true });
    const post = { idempotencyKey: 'inc-1/post', channelId: channel.id, text: 'hello' };
    expect(await env.run(chatPostMessage, post)).toEqual(await env.run(chatPostMessage, post));
  });

  it('builds meeting links from VIDEO_ROOM_URL_TEMPLATE', async () => {
    const meeting = { idempotencyKey: 'inc-1/bridge', incidentId: 'inc 1', topic: 'bridge' };
    const secret = { VIDEO_ROOM_SECRET: 'local-spec-room-secret' };
    expect(await env.run(local(secret).videoCreateMeeting, meeting)).toEqual({
      id: expect.stringMatching(/^local-[0-9a-f]{12}$/),
      joinUrl: expect.stringMatching(/^https:\/\/meet\.jit\.si\/firebreak-inc%201-[0-9a-f]{32}$/),
      created: true,
    });
    const custom = local({ ...secret, VIDEO_ROOM_URL_TEMPLATE: 'https://meet.example.com/{incidentId}-{key}/{token}' });
    expect((await env.run(custom.videoCreateMeeting, meeting)).joinUrl).toMatch(/^https:\/\/meet\.example\.com\/inc%201-[0-9a-f]{12}\/[0-9a-f]{32}$/);
  });

  it('pages, deploys and scales as recorded no-ops, still refusing what is out of bounds', async () => {
    const { pagingPage, deployFindReleases, deployRollback, scalingScaleService, scalingDescribeService } = local();
    expect(await env.run(pagingPage, { idempotencyKey: 'k', incidentId: 'inc-1', action: 'trigger', dedupKey: 'd', summary: 's' })).toEqual({
      dedupKey: 'd',
      delivered: true,
      provider: 'local',
    });
    const target = { service: 'shop', scope: 'acme/shop' };
    expect(await env.run(deployFindReleases, { target })).toEqual({ current: null, previousGood: null });
    expect(await env.run(deployRollback, { idempotencyKey: 'k', target, to: { ref: 'v41', id: '1' } })).toEqual({
      deploymentId: expect.stringMatching(/^local-/),
      ref: 'v41',
      created: false,
      stable: true,
      recordedOnly: true,
    });
    const ref = { cluster: 'prod', service: 'api' };
    expect(await env.run(scalingScaleService, { idempotencyKey: 'k', ref, desiredCount: 4, min: 1, max: 5 })).toEqual({
      previousCount: 4,
      desiredCount: 4,
      stable: true,
      recordedOnly: true,
    });
    await expectFailure(env.run(scalingScaleService, { idempotencyKey: 'k', ref, desiredCount: 9, min: 1, max: 5 }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
    });
    expect(await env.run(scalingDescribeService, { ref })).toMatchObject({ ref, desiredCount: 0, runningCount: 0 });
  });

  it('answers Kubernetes steps as recorded no-ops, the same each time, never pretending to be a cluster', async () => {
    const { kubernetesDescribeDeployment, kubernetesScaleDeployment, kubernetesRestartDeployment, kubernetesRollbackDeployment } = local();
    const ref = { namespace: 'shop', name: 'checkout' };
    expect(await env.run(kubernetesDescribeDeployment, ref)).toEqual({
      ...ref,
      replicas: { desired: 0, updated: 0, ready: 0, available: 0, unavailable: 0 },
      rollout: { state: 'complete', message: expect.stringMatching(/^local Kubernetes adapter: no cluster behind it/) },
      conditions: [],
      pods: [],
      podsTruncated: false,
      events: [],
      recordedOnly: true,
    });
    const restart = { idempotencyKey: 'k', ...ref };
    expect(await env.run(kubernetesRestartDeployment, restart)).toEqual({ ...ref, restartedAt: 'local', restarted: false, stable: true, recordedOnly: true });
    expect(await env.run(kubernetesRestartDeployment, restart)).toEqual(await env.run(kubernetesRestartDeployment, restart));
    expect(await env.run(kubernetesRollbackDeployment, { ...restart, toRevision: 3 })).toEqual({ ...ref, toRevision: 3, rolledBack: false, stable: true, recordedOnly: true });
    expect(await env.run(kubernetesScaleDeployment, { ...restart, replicas: 3, max: 4 })).toEqual({ ...ref, previousReplicas: 3, replicas: 3, stable: true, recordedOnly: true });
    await expectFailure(env.run(kubernetesScaleDeployment, { ...restart, replicas: 5, max: 4 }), { type: CapabilityFailure.OutOfBounds, nonRetryable: true });
  });

  it('records Run Command without running anything, and says so', async () => {
    const { ssmRunCommand } = local();
    const command = { idempotencyKey: 'run-1/ssm.runCommand', instanceIds: ['i-0123456789abcdef0'], parameters: { commands: ['systemctl restart app'] } };
    const answer = await env.run(ssmRunCommand, command);
    expect(answer).toEqual({
      commandId: expect.stringMatching(/^local-[0-9a-f]{12}$/),
      status: 'Success',
      created: true,
      counts: { targets: 1, completed: 1, errors: 0 },
      instances: [{ instanceId: 'i-0123456789abcdef0', status: 'Success', statusDetails: 'recorded only: nothing ran', responseCode: 0, stdout: '', stderr: '' }],
      truncated: false,
      recordedOnly: true,
    });
    expect(await env.run(ssmRunCommand, command)).toEqual(answer);
  });

  it('refuses every HTTP step while HTTP_STEP_ALLOWED_HOSTS is unset, naming the setting', async () => {
    await expectFailure(env.run(local().httpRequest, { idempotencyKey: 'k', method: 'GET', url: 'https://payments.internal/health' }), {
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
      message: /HTTP step GET https:\/\/payments\.internal refused: HTTP_STEP_ALLOWED_HOSTS is unset/,
    });
  });
});
