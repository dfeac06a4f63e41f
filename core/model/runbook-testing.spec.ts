import approvalDemo from '../../test/runbooks/approval-demo.runbook';
import compensationDemo from '../../test/runbooks/compensation-demo.runbook';
import { testRunbook } from './runbook-testing';

describe('the runbook test kit', () => {
  it('takes scripted decisions in order, and lets an approval time out when none is left', async () => {
    const approved = await testRunbook(approvalDemo, { input: {}, approvals: [{ approved: true, by: 'ada', comment: 'go' }] });
    expect(approved.result).toEqual({ outcome: 'approved', by: 'ada', comment: 'go' });
    expect(approved.log).toEqual(['started by test', 'waiting for approval (admin): Proceed with the risky step?', 'approved by ada: go', 'completed']);

    const timedOut = await testRunbook(approvalDemo, { input: {} });
    expect(timedOut.result).toEqual({ outcome: 'timed-out' });
    expect(timedOut.steps.map((s) => s.name)).toEqual(['paging.page']);
  });

  it('refuses a scripted decision the approval’s roles may not take', async () => {
    await expect(testRunbook(approvalDemo, { input: {}, approvals: [{ approved: true, role: 'viewer' }] })).rejects.toThrow(
      'only admin keys may decide this approval; yours is viewer',
    );
  });

  it('undoes completed steps, last first, when a step fails', async () => {
    const run = await testRunbook(compensationDemo, {
      input: { then: 'fail' },
      steps: {
        'scaling.scaleService': (step) => {
          if (step.desiredCount > step.max) throw new Error('outside its bounds');
          return { previousCount: 2, desiredCount: step.desiredCount, stable: true };
        },
      },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('outside its bounds');
    expect(run.undone).toEqual(['scaling.scaleService', 'statusPage.openIncident']);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['statusPage.openIncident', 'completed'],
      ['scaling.scaleService', 'completed'],
      ['scale-too-far', 'failed'],
      ['undo:scaling.scaleService:scaling.scaleService#3', 'completed'],
      ['undo:statusPage.openIncident:statusPage.updateIncident', 'completed'],
    ]);
  });

  it('plans without acting in a dry run', async () => {
    const run = await testRunbook(compensationDemo, { input: { then: 'wait' }, dryRun: true });
    expect(run.steps.every((s) => s.status === 'planned')).toBe(true);
    expect(run.plan.map((s) => s.name)).toEqual(['statusPage.openIncident', 'scaling.scaleService', 'approval']);
    expect(run.result).toEqual({ done: true });
  });
});
