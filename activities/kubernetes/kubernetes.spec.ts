import { ConfigError } from '../../core/schemas/config';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { type ActivityEnvironment, activityEnvironment, configuredActivities, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { KUBERNETES_TOKEN, startKubernetesStub } from '../../test/vendors/kubernetes';

/** A step with room to wait, first scheduled at a known time: the restart annotation's value. */
const SCHEDULED = Date.parse('2026-03-01T10:00:00.250Z');
const STEP = { startToCloseTimeoutMs: 30_000, scheduledTimestampMs: SCHEDULED };
const checkout = { namespace: 'shop', name: 'checkout' };

describe('Kubernetes deployments (@kubernetes/client-node against an API server stub)', () => {
  let kube: Awaited<ReturnType<typeof startKubernetesStub>>;
  let env: ActivityEnvironment;
  let heartbeats: Array<Record<string, unknown>>;

  const activitiesFor = (extra: Record<string, string> = {}) =>
    configuredActivities({ ...kube.settings(), INTEGRATIONS_TIMEOUT_MS: '1000', KUBERNETES_POLL_INTERVAL_MS: '10', ...extra });
  const watch = (environment: ActivityEnvironment) => {
    heartbeats = [];
    environment.on('heartbeat', (details: Record<string, unknown>) => heartbeats.push(details));
    return environment;
  };
  const patches = () => kube.stub.requests.filter((request) => request.method === 'PATCH');

  beforeEach(async () => {
    kube = await startKubernetesStub();
    env = watch(activityEnvironment(STEP));
  });
  afterEach(() => kube.stop());

  it('describes a deployment: replicas, rollout, conditions, pods and recent events, with the context’s token', async () => {
    kube.seed({ replicas: 3, images: ['shop/checkout:1', 'shop/checkout:2'] });
    const described = await env.run(activitiesFor().kubernetesDescribeDeployment, checkout);
    expect(described).toMatchObject({
      namespace: 'shop',
      name: 'checkout',
      revision: 2,
      replicas: { desired: 3, updated: 3, ready: 3, available: 3, unavailable: 0 },
      rollout: { state: 'complete', message: '3 of 3 replicas updated and available' },
      podsTruncated: false,
      events: [],
    });
    expect(described.conditions.map((condition) => [condition.type, condition.status, condition.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(described.pods).toHaveLength(3);
    expect(described.pods[0]).toEqual({ name: expect.stringMatching(/^checkout-[0-9a-f]{10}-0$/), phase: 'Running', ready: true, restarts: 0 });

    const [read, pods, ...events] = kube.stub.requests;
    expect([read.method, read.path, read.headers.authorization]).toEqual(['GET', '/apis/apps/v1/namespaces/shop/deployments/checkout', `Bearer ${KUBERNETES_TOKEN}`]);
    expect([pods.path, Object.fromEntries(pods.query)]).toEqual(['/api/v1/namespaces/shop/pods', { labelSelector: 'app=checkout', limit: '50' }]);
    expect(events.map((request) => request.query.get('fieldSelector'))).toEqual([
      'involvedObject.kind=Deployment,involvedObject.name=checkout',
      ...described.pods.map((pod) => `involvedObject.kind=Pod,involvedObject.name=${pod.name}`),
    ]);
  });

  it('describes crash-looping pods: not ready, their restarts, why, and their warnings newest first', async () => {
    kube.seed({ replicas: 2, crashLooping: 'transient' });
    const described = await env.run(activitiesFor().kubernetesDescribeDeployment, checkout);
    expect(described.replicas).toEqual({ desired: 2, updated: 2, ready: 0, available: 0, unavailable: 2 });
    expect(described.rollout).toEqual({ state: 'progressing', message: '0 of 2 updated replicas available' });
    expect(described.pods.map(({ ready, restarts, reason }) => ({ ready, restarts, reason }))).toEqual([
      { ready: false, restarts: 5, reason: 'CrashLoopBackOff' },
      { ready: false, restarts: 5, reason: 'CrashLoopBackOff' },
    ]);
    expect(described.pods[0].message).toMatch(/^back-off 40s restarting failed container=app pod=checkout-/);
    expect(described.events.length).toBe(2);
    expect(described.events[0]).toMatchObject({ type: 'Warning', reason: 'BackOff', object: expect.stringMatching(/^Pod\/checkout-/), count: 2 });
    expect(Date.parse(described.events[0].at!)).toBeGreaterThanOrEqual(Date.parse(described.events[1].at!));
  });

  it('restarts as kubectl rollout restart does, waits for the rollout heartbeating, and restarts once per step', async () => {
    kube.seed({ replicas: 2 });
    const { kubernetesRestartDeployment } = activitiesFor();
    const step = { idempotencyKey: 'rbx-1/kubernetes.restartDeployment', ...checkout };
    const result = await env.run(kubernetesRestartDeployment, step);
    const recorded = heartbeats[0];
    expect(result).toEqual({ ...checkout, revision: 2, restartedAt: '2026-03-01T10:00:00.250Z', restarted: true, stable: true });
    const [patch] = patches();
    expect([patch.path, patch.headers['content-type']]).toEqual(['/apis/apps/v1/namespaces/shop/deployments/checkout', 'application/strategic-merge-patch+json']);
    expect(patch.body).toEqual({
      metadata: { resourceVersion: expect.any(String) },
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-03-01T10:00:00.250Z' } } } },
    });
    expect(recorded).toEqual({ idempotencyKey: step.idempotencyKey, deploymentId: 'shop/checkout', since: expect.any(Number), restartedAt: result.restartedAt, acted: true });
    expect(heartbeats.at(-1)).toMatchObject({ state: '2 of 2 replicas updated and available' });
    expect(heartbeats.length).toBeGreaterThan(3);
    expect(kube.view('shop', 'checkout').status).toMatchObject({ updatedReplicas: 2, availableReplicas: 2, replicas: 2 });

    // The same step again, its first answer lost: the annotation is set already, nothing is patched.
    const again = await watch(activityEnvironment(STEP)).run(kubernetesRestartDeployment, step);
    expect(again).toEqual({ ...result, restarted: false });
    // A worker restart mid-wait: the attempt resumes from its heartbeat without reading to decide.
    const resumed = await watch(activityEnvironment({ ...STEP, attempt: 2, heartbeatDetails: recorded })).run(kubernetesRestartDeployment, step);
    expect(resumed).toEqual(result);
    expect(patches()).toHaveLength(1);
    expect(kube.stub.count('deployment.restart')).toBe(1);

    // Another step restarts again.
    await activityEnvironment({ ...STEP, scheduledTimestampMs: SCHEDULED + 60_000 }).run(kubernetesRestartDeployment, { ...step, idempotencyKey: 'rbx-2/restart' });
    expect(kube.stub.count('deployment.restart')).toBe(2);
  });

  it('fails the restart, not retried, with the condition’s message when the rollout exceeds its progress deadline', async () => {
    kube.seed({ replicas: 2, crashLooping: 'persistent', deadlineReads: 4 });
    await expectFailure(env.run(activitiesFor().kubernetesRestartDeployment, { idempotencyKey: 'k', ...checkout }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Kubernetes deployment shop\/checkout ended ProgressDeadlineExceeded: ReplicaSet "checkout-[0-9a-f]{10}" has timed out progressing\.$/,
    });
    // The old pods kept serving: a failed rollout does not take them down.
    expect(kube.view('shop', 'checkout').status).toMatchObject({ updatedReplicas: 1, replicas: 3 });
  });

  it('fails OutOfBounds, not retried, when the rollout outlasts the step’s timeout', async () => {
    kube.seed({ replicas: 2, crashLooping: 'persistent', deadlineReads: 10_000 });
    const short = watch(activityEnvironment({ ...STEP, startToCloseTimeoutMs: 400 }));
    await expectFailure(short.run(activitiesFor().kubernetesRestartDeployment, { idempotencyKey: 'k', ...checkout }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^Kubernetes deployment shop\/checkout did not reach a final state within the step's timeout .*its last state: 1 of 2 replicas updated$/,
    });
  });

  it('scales through the scale subresource within bounds, waits for the new replicas, and finds a repeat applied', async () => {
    kube.seed({ replicas: 2 });
    const { kubernetesScaleDeployment } = activitiesFor();
    const step = { idempotencyKey: 'rbx-1/scale', ...checkout, replicas: 4, min: 1, max: 6 };
    expect(await env.run(kubernetesScaleDeployment, step)).toEqual({ ...checkout, revision: 1, previousReplicas: 2, replicas: 4, stable: true });
    const [patch] = patches();
    expect([patch.path, patch.headers['content-type']]).toEqual(['/apis/apps/v1/namespaces/shop/deployments/checkout/scale', 'application/merge-patch+json']);
    expect(patch.body).toEqual({ metadata: { resourceVersion: expect.any(String) }, spec: { replicas: 4 } });
    expect(kube.view('shop', 'checkout').status).toMatchObject({ replicas: 4, availableReplicas: 4 });

    expect(await activityEnvironment(STEP).run(kubernetesScaleDeployment, step)).toEqual({ ...checkout, revision: 1, previousReplicas: 4, replicas: 4, stable: true });
    expect(kube.stub.count('deployment.scale')).toBe(1);

    await expectFailure(env.run(kubernetesScaleDeployment, { ...step, replicas: 7 }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^deployment shop\/checkout: 7 replicas is outside \[1, 6\]$/,
    });
    await expectFailure(env.run(kubernetesScaleDeployment, { ...step, min: 5, max: 2 }), { type: CapabilityFailure.InvalidInput, nonRetryable: true });
    await expectFailure(env.run(kubernetesScaleDeployment, { ...step, replicas: -1 }), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /replicas/ });
    expect(patches()).toHaveLength(1);
  });

  it('reads again and decides again when the deployment changed since it was read (409), within the attempt', async () => {
    kube.seed({ replicas: 2 });
    kube.changeBeforeNextPatch('shop', 'checkout', (deployment) => {
      deployment.replicas = 3;
    });
    const result = await env.run(activitiesFor().kubernetesScaleDeployment, { idempotencyKey: 'k', ...checkout, replicas: 5 });
    // The count replaced is the one someone else set: what a compensation must scale back to.
    expect(result).toMatchObject({ previousReplicas: 3, replicas: 5, stable: true });
    expect(kube.stub.calls('patchScale').map((call) => call.body.metadata.resourceVersion)).toEqual([expect.any(String), expect.any(String)]);
    expect(new Set(kube.stub.calls('patchScale').map((call) => call.body.metadata.resourceVersion)).size).toBe(2);

    // A deployment that never stops changing: the attempt gives up, to be retried later.
    kube.stub.failAlways('patchDeployment', { status: 409, body: { kind: 'Status', status: 'Failure', reason: 'Conflict', message: 'the object has been modified', code: 409 } });
    await expectFailure(env.run(activitiesFor().kubernetesRestartDeployment, { idempotencyKey: 'k2', ...checkout }), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /^Kubernetes restart deployment shop\/checkout failed: HTTP 409: the object has been modified$/,
    });
    expect(kube.stub.calls('patchDeployment')).toHaveLength(5);
  });

  it('rolls back to the previous revision’s template as kubectl rollout undo does, once per step', async () => {
    kube.seed({ replicas: 2, images: ['shop/checkout:1', 'shop/checkout:2', 'shop/checkout:3'] });
    const { kubernetesRollbackDeployment } = activitiesFor();
    const step = { idempotencyKey: 'rbx-1/rollback', ...checkout };
    const result = await env.run(kubernetesRollbackDeployment, step);
    expect(result).toEqual({ ...checkout, revision: 4, fromRevision: 3, toRevision: 2, rolledBack: true, stable: true });
    const [patch] = patches();
    expect(patch.headers['content-type']).toBe('application/json-patch+json');
    expect(patch.body).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: expect.any(String) },
      { op: 'replace', path: '/spec/template', value: expect.objectContaining({ metadata: { labels: { app: 'checkout' } } }) },
      { op: 'add', path: '/metadata/annotations/firebreak~1rolled-back', value: expect.stringMatching(/^[0-9a-f]{16} from 3 to 2$/) },
    ]);
    expect(kube.view('shop', 'checkout').spec.template.spec.containers[0].image).toBe('shop/checkout:2');
    expect(kube.stub.calls('listReplicaSets')[0].query.get('labelSelector')).toBe('app=checkout');

    // The same step again: it finds its own rollback, and does not undo it (a second undo would go back to 3).
    expect(await activityEnvironment(STEP).run(kubernetesRollbackDeployment, step)).toEqual({ ...result, rolledBack: false });
    expect(kube.stub.count('deployment.rollback')).toBe(1);

    // Another step, to a revision by number.
    expect(await activityEnvironment(STEP).run(kubernetesRollbackDeployment, { ...step, idempotencyKey: 'rbx-2/rollback', toRevision: 1 })).toEqual({
      ...checkout,
      revision: 5,
      fromRevision: 4,
      toRevision: 1,
      rolledBack: true,
      stable: true,
    });
    expect(kube.view('shop', 'checkout').spec.template.spec.containers[0].image).toBe('shop/checkout:1');
  });

  it('refuses a rollback with nowhere to go, and a paused deployment, for good', async () => {
    kube.seed({ replicas: 1, images: ['shop/checkout:1'] });
    kube.seed({ name: 'cart', replicas: 1, images: ['shop/cart:1', 'shop/cart:2'] });
    kube.seed({ name: 'search', replicas: 1, paused: true });
    const { kubernetesRollbackDeployment, kubernetesRestartDeployment } = activitiesFor();
    await expectFailure(env.run(kubernetesRollbackDeployment, { idempotencyKey: 'k', ...checkout }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^deployment shop\/checkout has no earlier revision to roll back to \(revisions kept: 1\)$/,
    });
    await expectFailure(env.run(kubernetesRollbackDeployment, { idempotencyKey: 'k', namespace: 'shop', name: 'cart', toRevision: 7 }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^deployment shop\/cart has no revision 7 \(revisions kept: 2, 1\)$/,
    });
    await expectFailure(env.run(kubernetesRestartDeployment, { idempotencyKey: 'k', namespace: 'shop', name: 'search' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^deployment shop\/search is paused: resume it \(kubectl rollout resume\) before restarting it$/,
    });
    expect(patches()).toHaveLength(0);
  });

  it('refuses a namespace the settings do not allow before any call, and names a missing deployment', async () => {
    kube.seed();
    const activities = activitiesFor();
    await expectFailure(env.run(activities.kubernetesRestartDeployment, { idempotencyKey: 'k', namespace: 'kube-system', name: 'coredns' }), {
      type: CapabilityFailure.OutOfBounds,
      nonRetryable: true,
      message: /^deployment kube-system\/coredns: namespace "kube-system" is not one KUBERNETES_NAMESPACES allows \(shop, payments\)$/,
    });
    expect(kube.stub.requests).toHaveLength(0);
    await expectFailure(env.run(activities.kubernetesDescribeDeployment, { namespace: 'payments', name: 'ledger' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /^Kubernetes read deployment payments\/ledger failed: deployment payments\/ledger not found \(HTTP 404\)$/,
    });
    await expectFailure(env.run(activities.kubernetesDescribeDeployment, { namespace: 'Shop', name: 'checkout' }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /namespace: must be a Kubernetes namespace/,
    });
  });

  it('maps missing permissions and rejected credentials to AdapterMisconfigured, retries throttling and outages, and never shows the token', async () => {
    kube.seed();
    kube.deny('patch', 'deployments');
    await expectFailure(env.run(activitiesFor().kubernetesRestartDeployment, { idempotencyKey: 'k', ...checkout }), {
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
      message: /^Kubernetes restart deployment shop\/checkout failed: HTTP 403: the credentials lack a permission .*: deployments\.apps "checkout" is forbidden: User "system:serviceaccount:firebreak:worker" cannot patch resource "deployments" in API group "apps" in the namespace "shop"$/,
    });
    // Without KUBERNETES_CONTEXT the file's current context holds a token the server does not take.
    await expectFailure(env.run(activitiesFor({ KUBERNETES_CONTEXT: '' }).kubernetesDescribeDeployment, checkout), {
      type: CapabilityFailure.Misconfigured,
      nonRetryable: true,
      message: /^Kubernetes read deployment shop\/checkout failed: HTTP 401: the credentials were not accepted$/,
      secrets: [KUBERNETES_TOKEN, 'kube-stale-token-not-accepted'],
    });
    const { kubernetesDescribeDeployment } = activitiesFor();
    await expectTransientFaultsRetried(kube.stub, 'readDeployment', () => env.run(kubernetesDescribeDeployment, checkout));
    kube.stub.fail('listPods', { status: 500, body: { kind: 'Status', message: `etcd timeout for ${KUBERNETES_TOKEN}`, code: 500 } });
    await expectFailure(env.run(kubernetesDescribeDeployment, checkout), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /^Kubernetes list pods of deployment shop\/checkout failed: HTTP 500: etcd timeout for \[redacted\]$/,
      secrets: [KUBERNETES_TOKEN],
    });
  });

  it('stops start-up naming the setting when the kubeconfig or its context is missing', () => {
    const problemsOf = (extra: Record<string, string>) => {
      try {
        activitiesFor(extra);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
      throw new Error('expected a ConfigError');
    };
    expect(problemsOf({ KUBECONFIG: '/nonexistent/kubeconfig' })).toEqual(['KUBECONFIG: no file at /nonexistent/kubeconfig']);
    expect(problemsOf({ KUBERNETES_CONTEXT: 'prod' })).toEqual([expect.stringMatching(/^KUBERNETES_CONTEXT: .*kubeconfig\.json has no context "prod" \(it has firebreak-test, stale\)$/)]);
  });
});
