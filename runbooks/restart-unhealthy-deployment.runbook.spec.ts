import { testRunbook } from '../core/model/runbook-testing';
import type { DeploymentDescription, PodStatus } from '../core/schemas/capabilities/kubernetes';
import restart from './restart-unhealthy-deployment.runbook';

const Input = restart.input;

const input = { namespace: 'shop', deployment: 'checkout' };
const pod = (name: string, ready: boolean, restarts = 0, reason?: string): PodStatus => ({ name, phase: 'Running', ready, restarts, ...(reason ? { reason } : {}) });

/** A description of shop/checkout wanting 2 replicas. */
const described = (overrides: Partial<DeploymentDescription> = {}): DeploymentDescription => ({
  namespace: 'shop',
  name: 'checkout',
  revision: 3,
  replicas: { desired: 2, updated: 2, ready: 2, available: 2, unavailable: 0 },
  rollout: { state: 'complete', message: '2 of 2 replicas updated and available' },
  conditions: [],
  pods: [pod('checkout-6f7d9-a1b2c', true), pod('checkout-6f7d9-d3e4f', true)],
  podsTruncated: false,
  events: [],
  ...overrides,
});
const crashLooping = described({
  replicas: { desired: 2, updated: 2, ready: 0, available: 0, unavailable: 2 },
  rollout: { state: 'progressing', message: '0 of 2 updated replicas available' },
  pods: [pod('checkout-6f7d9-a1b2c', false, 7, 'CrashLoopBackOff'), pod('checkout-6f7d9-d3e4f', false, 6, 'CrashLoopBackOff')],
  events: [{ at: '2026-03-01T10:00:00Z', type: 'Warning', reason: 'BackOff', object: 'Pod/checkout-6f7d9-a1b2c', message: 'Back-off restarting failed container', count: 12 }],
});
/** Answers `first` to the first description and `then` to the next. */
const describing = (first: DeploymentDescription, then: DeploymentDescription) => {
  let calls = 0;
  return () => (calls++ === 0 ? first : then);
};
const restarted = (step: { namespace: string; name: string }) => ({ ...step, restartedAt: '2026-03-01T10:00:00.000Z', restarted: true, stable: true, revision: 4 });

describe('restart-unhealthy-deployment', () => {
  it('restarts crash-looping pods, waits for the rollout, and finds the deployment healthy again', async () => {
    const run = await testRunbook(restart, {
      input,
      incident: {},
      steps: { 'kubernetes.describeDeployment': describing(crashLooping, described()), 'kubernetes.restartDeployment': restarted },
    });
    expect(run.status).toBe('completed');
    expect(run.steps.map((step) => step.id)).toEqual(['kubernetes.describeDeployment', 'kubernetes.restartDeployment', 'describe-after-restart']);
    expect(run.steps[1].args).toEqual({ namespace: 'shop', name: 'checkout' });
    expect(run.result).toEqual({
      restarted: true,
      restartedAt: '2026-03-01T10:00:00.000Z',
      healthy: true,
      problemsBefore: [
        '0 of 2 replicas available',
        'not ready: checkout-6f7d9-a1b2c (CrashLoopBackOff), checkout-6f7d9-d3e4f (CrashLoopBackOff)',
        'crash-looping: checkout-6f7d9-a1b2c (7 restarts), checkout-6f7d9-d3e4f (6 restarts)',
      ],
      problemsAfter: [],
    });
    const notes = run.log.join('\n');
    expect(notes).toContain('shop/checkout before any restart: unhealthy\nreplicas: 0/2 available, 2 updated; rollout progressing: 0 of 2 updated replicas available\n');
    expect(notes).toContain('event 2026-03-01T10:00:00Z Warning BackOff Pod/checkout-6f7d9-a1b2c: Back-off restarting failed container');
    expect(notes).toContain('shop/checkout after the restart: healthy');
  });

  it('does nothing to a healthy deployment, and counts pods restarting often as crash-looping', async () => {
    const healthy = await testRunbook(restart, { input, steps: { 'kubernetes.describeDeployment': () => described() } });
    expect(healthy.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment']);
    expect(healthy.result).toEqual({ restarted: false, reason: 'healthy' });

    const flapping = described({ pods: [pod('checkout-6f7d9-a1b2c', true, 4), pod('checkout-6f7d9-d3e4f', true, 0)] });
    const strict = await testRunbook(restart, {
      input: { ...input, restartThreshold: 4 },
      steps: { 'kubernetes.describeDeployment': describing(flapping, described()), 'kubernetes.restartDeployment': restarted },
    });
    expect(strict.result).toMatchObject({ restarted: true, problemsBefore: ['crash-looping: checkout-6f7d9-a1b2c (4 restarts)'] });
    const lenient = await testRunbook(restart, { input: { ...input, restartThreshold: 5 }, steps: { 'kubernetes.describeDeployment': () => flapping } });
    expect(lenient.result).toEqual({ restarted: false, reason: 'healthy' });
  });

  it('pages instead of restarting a failed rollout, and leaves a rollout in progress alone', async () => {
    const failed = await testRunbook(restart, {
      input,
      steps: {
        'kubernetes.describeDeployment': () =>
          described({ ...crashLooping, rollout: { state: 'failed', message: 'ReplicaSet "checkout-7c8d" has timed out progressing.' } }),
      },
    });
    expect(failed.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment', 'paging.page']);
    expect(failed.steps[1].args).toMatchObject({ summary: expect.stringMatching(/^The rollout of shop\/checkout failed \(ReplicaSet "checkout-7c8d" has timed out progressing\.\)/) });
    expect(failed.result).toMatchObject({ restarted: false, reason: 'rollout-failed' });

    const rolling = await testRunbook(restart, {
      input,
      steps: { 'kubernetes.describeDeployment': () => described({ replicas: { desired: 2, updated: 1, ready: 1, available: 1, unavailable: 1 } }) },
    });
    expect(rolling.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment']);
    expect(rolling.result).toMatchObject({ restarted: false, reason: 'rollout-in-progress' });
  });

  it('pages when the restart does not roll out, or leaves the deployment unhealthy', async () => {
    const stuck = await testRunbook(restart, {
      input: { ...input, rolloutMinutes: 5 },
      steps: {
        'kubernetes.describeDeployment': () => crashLooping,
        'kubernetes.restartDeployment': () => {
          throw new Error('Kubernetes deployment shop/checkout ended ProgressDeadlineExceeded: ReplicaSet "checkout-7c8d" has timed out progressing.');
        },
      },
    });
    expect(stuck.status).toBe('failed');
    expect(stuck.steps.map((step) => [step.name, step.status])).toEqual([
      ['kubernetes.describeDeployment', 'completed'],
      ['kubernetes.restartDeployment', 'failed'],
      ['paging.page', 'completed'],
    ]);
    expect(stuck.steps[2].args).toMatchObject({ summary: expect.stringContaining('ProgressDeadlineExceeded'), severity: 'error' });

    const still = await testRunbook(restart, {
      input,
      steps: { 'kubernetes.describeDeployment': () => crashLooping, 'kubernetes.restartDeployment': restarted },
    });
    expect(still.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment', 'kubernetes.restartDeployment', 'kubernetes.describeDeployment', 'paging.page']);
    expect(still.result).toMatchObject({ restarted: true, healthy: false });
  });

  it('plans the restart in a dry run, acting on nothing', async () => {
    const run = await testRunbook(restart, { input, dryRun: true });
    expect(run.plan.map((step) => step.id)).toEqual(['kubernetes.describeDeployment', 'kubernetes.restartDeployment', 'describe-after-restart']);
    expect(run.log.join('\n')).toContain('dry run: shop/checkout was not described');
    expect(run.result).toMatchObject({ restarted: true, restartedAt: 'dry-run' });
  });

  it('waits for approval before restarting when asked (an alert without autoRemediate), and leaves it alone when rejected', async () => {
    const steps = { 'kubernetes.describeDeployment': describing(crashLooping, described()), 'kubernetes.restartDeployment': restarted };
    const approved = await testRunbook(restart, { input: { ...input, requireApproval: true }, incident: {}, steps, approvals: [{ approved: true, by: 'dana' }] });
    expect(approved.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment', 'kubernetes.restartDeployment', 'kubernetes.describeDeployment']);
    expect(approved.execution.approvals).toEqual([expect.objectContaining({ approved: true, by: 'dana' })]);
    const rejected = await testRunbook(restart, {
      input: { ...input, requireApproval: true },
      incident: {},
      steps: { 'kubernetes.describeDeployment': () => crashLooping },
      approvals: [{ approved: false, by: 'dana' }],
    });
    expect(rejected.steps.map((step) => step.name)).toEqual(['kubernetes.describeDeployment']);
    expect(rejected.result).toMatchObject({ restarted: false, reason: 'rejected', by: 'dana' });
  });

  it('takes the deployment from runbooks/services.ts, never from the alert’s labels, and is destructive', () => {
    const alert = { source: 'alertmanager', status: 'firing' as const, summary: 's', dedupKey: 'd', annotations: {}, service: 'checkout' };
    const service = { name: 'checkout', kubernetes: { namespace: 'shop', deployment: 'checkout' }, environments: ['production'], requireStatusChecks: true };
    const labels = { namespace: 'kube-system', deployment: 'coredns', pod: 'coredns-6f7d9c8b5d-x2x4z', alertname: 'KubePodCrashLooping' };
    expect(restart.fromAlert?.({ ...alert, labels }, { service, requireApproval: true })).toEqual({ namespace: 'shop', deployment: 'checkout', requireApproval: true });
    expect(restart.fromAlert?.({ ...alert, labels }, { service, requireApproval: false })).toMatchObject({ requireApproval: false });
    expect(() => restart.fromAlert?.({ ...alert, labels }, { service: { ...service, kubernetes: undefined }, requireApproval: true })).toThrow(
      'service "checkout" names no kubernetes deployment in runbooks/services.ts',
    );
    expect(restart.destructive).toBe(true);
    expect(restart.guardrails?.target(Input.parse(input))).toBe('shop/checkout');
    expect(restart.guardrails?.globalBudget).toEqual({ max: 6, windowMinutes: 60 });
  });
});
