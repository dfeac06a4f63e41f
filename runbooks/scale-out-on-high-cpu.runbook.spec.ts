import { testRunbook } from '../core/model/runbook-testing';
import scaleOut from './scale-out-on-high-cpu.runbook';

const described = (desiredCount: number) => () => ({
  ref: { cluster: 'prod', service: 'checkout' },
  desiredCount,
  runningCount: desiredCount,
  pendingCount: 0,
  deployments: [],
  events: [],
});
const input = { cluster: 'prod', service: 'checkout' };

describe('scale-out-on-high-cpu', () => {
  it('adds tasks within bounds and waits for the alert to resolve', async () => {
    const run = await testRunbook(scaleOut, {
      input,
      incident: { firingAlerts: 0 },
      steps: {
        'scaling.describeService': described(3),
        'scaling.scaleService': (step) => ({ previousCount: 3, desiredCount: step.desiredCount, stable: true }),
      },
    });
    expect(run.steps.map((s) => s.name)).toEqual(['scaling.describeService', 'scaling.scaleService']);
    expect(run.steps[1].args).toMatchObject({ desiredCount: 5, min: 1, max: 10 });
    expect(run.result).toEqual({ scaled: true, from: 3, to: 5, resolved: true });
    expect(run.plan.map((s) => s.name)).toEqual(['scaling.describeService', 'scaling.scaleService', 'waitFor']);
  });

  it('pages instead of scaling past its maximum', async () => {
    const run = await testRunbook(scaleOut, { input: { ...input, max: 4 }, steps: { 'scaling.describeService': described(4) } });
    expect(run.steps.map((s) => s.name)).toEqual(['scaling.describeService', 'paging.page']);
    expect(run.result).toEqual({ scaled: false, reason: 'at-max', desiredCount: 4 });
  });

  it('pages when CPU stays high, and scales back in later when asked', async () => {
    const stillFiring = await testRunbook(scaleOut, {
      input,
      incident: { firingAlerts: 2 },
      steps: { 'scaling.describeService': described(2) },
    });
    expect(stillFiring.steps.map((s) => s.name)).toEqual(['scaling.describeService', 'scaling.scaleService', 'paging.page']);
    expect(stillFiring.result).toMatchObject({ scaled: true, resolved: false });

    const scaledBack = await testRunbook(scaleOut, {
      input: { ...input, waitMinutes: 0, scaleBackAfterMinutes: 30 },
      steps: {
        'scaling.describeService': described(2),
        'scaling.scaleService': (step) => ({ previousCount: 2, desiredCount: step.desiredCount, stable: true }),
      },
    });
    expect(scaledBack.steps.map((s) => s.id)).toEqual(['scaling.describeService', 'scaling.scaleService', 'scale-back-in']);
    expect(scaledBack.steps[2].args).toMatchObject({ desiredCount: 2 });
  });

  it('waits for approval before scaling when asked, and leaves the service alone when rejected', async () => {
    const steps = {
      'scaling.describeService': described(3),
      'scaling.scaleService': (step: { desiredCount: number }) => ({ previousCount: 3, desiredCount: step.desiredCount, stable: true }),
    };
    const approved = await testRunbook(scaleOut, { input: { ...input, requireApproval: true, waitMinutes: 0 }, steps, approvals: [{ approved: true, by: 'dana' }] });
    expect(approved.plan.map((s) => s.name)).toEqual(['scaling.describeService', 'approval', 'scaling.scaleService']);
    expect(approved.result).toMatchObject({ scaled: true, to: 5 });
    const rejected = await testRunbook(scaleOut, { input: { ...input, requireApproval: true }, steps, approvals: [{ approved: false, by: 'dana' }] });
    expect(rejected.steps.map((s) => s.name)).toEqual(['scaling.describeService']);
    expect(rejected.result).toEqual({ scaled: false, reason: 'rejected', by: 'dana', desiredCount: 3 });
  });

  it('scales the ECS service runbooks/services.ts names, not the alert\'s cluster label, and is destructive', () => {
    const alert = { source: 'alertmanager', status: 'firing' as const, summary: 's', dedupKey: 'd', annotations: {}, service: 'checkout' };
    const service = { name: 'checkout', ecs: { cluster: 'prod', service: 'checkout-web' }, environments: ['production'], requireStatusChecks: true };
    expect(scaleOut.fromAlert?.({ ...alert, labels: { cluster: 'other', service: 'payments' } }, { service, requireApproval: true })).toEqual({
      cluster: 'prod',
      service: 'checkout-web',
      requireApproval: true,
    });
    expect(() => scaleOut.fromAlert?.({ ...alert, labels: {} }, { service: { ...service, ecs: undefined }, requireApproval: true })).toThrow('names no ecs service');
    expect(scaleOut.destructive).toBe(true);
    expect(scaleOut.guardrails?.globalBudget).toEqual({ max: 10, windowMinutes: 60 });
  });
});
