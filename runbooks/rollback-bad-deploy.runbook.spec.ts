import { testRunbook } from '../core/model/runbook-testing';
import rollback from './rollback-bad-deploy.runbook';

const releases = () => ({ current: { ref: 'v42', id: '42' }, previousGood: { ref: 'v41', id: '41' } });
const input = { service: 'checkout', scope: 'acme/checkout' };

describe('rollback-bad-deploy', () => {
  it('asks for approval on a SEV1, then rolls back to the last good release', async () => {
    const run = await testRunbook(rollback, {
      input,
      incident: { severity: 'SEV1', firingAlerts: 0 },
      steps: { 'deploy.findReleases': releases },
      approvals: [{ approved: true, by: 'ops' }],
    });
    expect(run.steps.map((s) => s.name)).toEqual(['deploy.findReleases', 'deploy.rollback']);
    expect(run.plan.map((s) => s.name)).toEqual(['deploy.findReleases', 'approval', 'deploy.rollback', 'waitFor']);
    expect(run.steps[1].args).toMatchObject({ to: { ref: 'v41' } });
    expect(run.result).toMatchObject({ rolledBack: true, resolved: true });
    expect(run.execution.approvals).toEqual([expect.objectContaining({ approved: true, by: 'ops' })]);
  });

  it('rolls back only once two people approve, when two are required', async () => {
    const twoOf = (by: string[]) =>
      testRunbook(rollback, {
        input: { ...input, requiredApprovals: 2 },
        incident: { severity: 'SEV1', firingAlerts: 0 },
        steps: { 'deploy.findReleases': releases },
        approvals: by.map((name) => ({ approved: true, by: name, role: 'commander' as const })),
      });
    const run = await twoOf(['ops', 'dana']);
    expect(run.steps.map((s) => s.name)).toEqual(['deploy.findReleases', 'deploy.rollback']);
    expect(run.execution.approvals).toEqual([expect.objectContaining({ approved: true, by: 'dana', approvedBy: ['ops', 'dana'] })]);
    // One approval of two: the run waits, times out and pages, and touches nothing.
    const alone = await twoOf(['ops']);
    expect(alone.result).toEqual({ rolledBack: false, reason: 'approval-timed-out' });
    expect(alone.steps.map((s) => s.name)).toEqual(['deploy.findReleases', 'paging.page']);
    // The same person twice is refused, as the engine refuses it.
    await expect(twoOf(['ops', 'ops'])).rejects.toThrow('scripted approval refused: ops approved already');
  });

  it('does not act when the approver says no', async () => {
    const run = await testRunbook(rollback, {
      input,
      incident: { severity: 'SEV1', firingAlerts: 1 },
      steps: { 'deploy.findReleases': releases },
      approvals: [{ approved: false, by: 'ops' }],
    });
    expect(run.steps.map((s) => s.name)).toEqual(['deploy.findReleases']);
    expect(run.result).toEqual({ rolledBack: false, reason: 'rejected', by: 'ops' });
  });

  it('pages the commander, with the incident id filled in, when nobody decides', async () => {
    const run = await testRunbook(rollback, {
      input,
      incident: { id: 'INC-7', severity: 'SEV0', firingAlerts: 1, roles: { commander: 'ada', investigators: [] } },
      steps: { 'deploy.findReleases': releases },
    });
    expect(run.result).toEqual({ rolledBack: false, reason: 'approval-timed-out' });
    expect(run.steps[1]).toMatchObject({ name: 'paging.page', args: { incidentId: 'INC-7', targets: ['ada'] } });
  });

  it('pages a human when no earlier release is known', async () => {
    const run = await testRunbook(rollback, {
      input,
      steps: { 'deploy.findReleases': () => ({ current: { ref: 'v42', id: '42' }, previousGood: null }) },
    });
    expect(run.steps.map((s) => s.name)).toEqual(['deploy.findReleases', 'paging.page']);
    expect(run.steps[1].args).toMatchObject({ incidentId: 'test-execution' });
    expect(run.result).toEqual({ rolledBack: false, reason: 'no-previous-release' });
  });

  it('rolls forward when the rollback does not become stable', async () => {
    const run = await testRunbook(rollback, {
      input,
      steps: {
        'deploy.findReleases': releases,
        'deploy.rollback': (step) => ({ deploymentId: 'd1', ref: step.to.ref, created: true, stable: step.to.ref === 'v42' }),
      },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('checkout did not become stable on v41');
    expect(run.undone).toEqual(['deploy.rollback']);
    expect(run.steps.map((s) => s.id)).toEqual(['deploy.findReleases', 'deploy.rollback', 'undo:deploy.rollback:roll-forward']);
  });

  it('rolls forward, and fails with the vendor\'s words, when the rollback step itself fails', async () => {
    const run = await testRunbook(rollback, {
      input,
      steps: {
        'deploy.findReleases': releases,
        'deploy.rollback': (step) => {
          if (step.to.ref === 'v41') throw new Error('GitHub deployment 3 of v41 to production ended failure: smoke tests failed');
          return { deploymentId: 'd2', ref: step.to.ref, created: true, stable: true };
        },
      },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/ended failure: smoke tests failed/);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['deploy.findReleases', 'completed'],
      ['deploy.rollback', 'failed'],
      ['roll-forward', 'completed'],
    ]);
    expect(run.steps[2].args).toMatchObject({ to: { ref: 'v42' } });
  });

  it('deploys with the required status checks kept, unless the input skips them', async () => {
    const steps = { 'deploy.findReleases': releases };
    const kept = await testRunbook(rollback, { input, steps });
    expect(kept.steps[1].args).toEqual(expect.objectContaining({ target: { service: 'checkout', scope: 'acme/checkout', environment: 'production' } }));
    const skipped = await testRunbook(rollback, { input: { ...input, requireStatusChecks: false }, steps });
    expect(skipped.steps[1].args).toMatchObject({ target: { requireStatusChecks: false } });
  });

  it('waits for approval below SEV1 when asked (an alert whose route does not opt out)', async () => {
    const run = await testRunbook(rollback, {
      input: { ...input, requireApproval: true },
      incident: { severity: 'SEV3', firingAlerts: 0 },
      steps: { 'deploy.findReleases': releases },
      approvals: [{ approved: true, by: 'dana', role: 'commander' }],
    });
    expect(run.plan.map((s) => s.name)).toEqual(['deploy.findReleases', 'approval', 'deploy.rollback', 'waitFor']);
    expect(run.execution.approvals).toEqual([expect.objectContaining({ approved: true, by: 'dana' })]);
  });

  describe('from an alert', () => {
    const alert = { source: 'alertmanager', status: 'firing' as const, summary: 's', dedupKey: 'd', annotations: {}, service: 'checkout' };
    const service = { name: 'checkout', repository: 'acme/checkout', environments: ['production', 'staging'], requireStatusChecks: true };

    it('rolls back what runbooks/services.ts says the service is, whatever the repository or cluster labels say', () => {
      const labels = { remediation: 'rollback', repository: 'acme/payments', cluster: 'other', service: 'payments' };
      expect(rollback.fromAlert?.({ ...alert, labels }, { service, requireApproval: true })).toEqual({
        service: 'checkout',
        scope: 'acme/checkout',
        environment: 'production',
        requireStatusChecks: true,
        requireApproval: true,
      });
      const ecsOnly = { name: 'cart', ecs: { cluster: 'prod', service: 'cart-svc' }, environments: ['production'], requireStatusChecks: false };
      expect(rollback.fromAlert?.({ ...alert, labels }, { service: ecsOnly, requireApproval: false })).toMatchObject({
        service: 'cart-svc',
        scope: 'prod',
        requireStatusChecks: false,
        requireApproval: false,
      });
    });

    it('takes the environment the alert names only among the service\'s environments', () => {
      expect(rollback.fromAlert?.({ ...alert, labels: { environment: 'staging' } }, { service, requireApproval: true })).toMatchObject({ environment: 'staging' });
      expect(() => rollback.fromAlert?.({ ...alert, labels: { environment: 'prod-eu' } }, { service, requireApproval: true })).toThrow(
        'environment "prod-eu" is not one of checkout\'s environments in runbooks/services.ts (production, staging)',
      );
      expect(() => rollback.fromAlert?.({ ...alert, labels: {} }, { service: { ...service, repository: undefined }, requireApproval: true })).toThrow(
        'service "checkout" names no repository, ecs or octopus in runbooks/services.ts',
      );
    });

    it('is destructive, with budgets per resolved target and across all of them', () => {
      expect(rollback.destructive).toBe(true);
      const parsed = rollback.input.parse({ ...input, environment: 'production' });
      expect(rollback.guardrails?.target(parsed)).toBe('acme/checkout:checkout:production');
      expect(rollback.guardrails?.budget).toEqual({ max: 1, windowMinutes: 30 });
      expect(rollback.guardrails?.globalBudget).toEqual({ max: 3, windowMinutes: 60 });
    });
  });
});
