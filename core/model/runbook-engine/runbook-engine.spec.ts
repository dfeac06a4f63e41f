import { ExecutionFailure } from '../execution';
import { refuseDecision, pendingApproval, decisionMessage, takeDecision, MAX_REQUIRED_APPROVERS } from './approvals';
import { approveRoles, launchRoles, refuseLaunch } from './permissions';
import { messageOf, toMs } from './durations';
import { compensationOrder, StepIds, stepActivityOptions } from './steps';

describe('the runbook engine, apart from Temporal', () => {
  it('numbers repeated steps, lets an explicit id win, and names compensating steps after what they undo', () => {
    const ids = new StepIds();
    expect(ids.next('chat.postMessage')).toBe('chat.postMessage');
    expect(ids.next('chat.postMessage')).toBe('chat.postMessage#2');
    expect(ids.next('deploy.rollback', 'roll-forward')).toBe('roll-forward');
    expect(ids.next('deploy.rollback', undefined, 'deploy.rollback')).toBe('undo:deploy.rollback:deploy.rollback#2');
  });

  it('schedules long operations longer, and takes the runbook’s options over the defaults', () => {
    expect(stepActivityOptions('a', false, {})).toEqual({
      activityId: 'a',
      startToCloseTimeout: '30 seconds',
      heartbeatTimeout: undefined,
      retry: { maximumAttempts: 8, initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
    });
    expect(stepActivityOptions('b', true, {})).toMatchObject({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '1 minute' });
    expect(stepActivityOptions('c', true, { timeout: '2m', retry: { maximumAttempts: 1, initialInterval: 500 } })).toMatchObject({
      startToCloseTimeout: 120_000,
      retry: { maximumAttempts: 1, initialInterval: 500 },
    });
  });

  it('undoes the last completed step first', () => {
    expect(compensationOrder(['first', 'second', 'third'])).toEqual(['third', 'second', 'first']);
  });

  it('reads durations, and refuses what is not one', () => {
    expect(toMs(250)).toBe(250);
    expect(toMs('30 seconds')).toBe(30_000);
    expect(toMs('1.5h')).toBe(5_400_000);
    expect(toMs('10ms')).toBe(10);
    expect(() => toMs('soon')).toThrow('cannot read duration "soon"');
  });

  it('finds the innermost message of a wrapped failure', () => {
    expect(messageOf(new Error('activity failed', { cause: new Error('vendor said no') }))).toBe('vendor said no');
    expect(messageOf('plain')).toBe('plain');
  });

  it('decides who may decide an approval, and when', () => {
    const pending = pendingApproval({ prompt: 'Roll back?', timeout: '1m' }, 60_000, Date.parse('2026-01-01T00:00:00Z'));
    expect(pending).toEqual({
      prompt: 'Roll back?',
      approvers: ['responder', 'commander', 'admin'],
      requestedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-01T00:01:00.000Z',
    });
    expect(refuseDecision(undefined, undefined, { role: 'admin', approve: true })).toEqual({
      type: ExecutionFailure.NoPendingApproval,
      message: 'no approval is pending',
    });
    expect(refuseDecision(pending, { approved: true, by: 'x', at: '' }, { role: 'admin', approve: true })?.type).toBe(
      ExecutionFailure.NoPendingApproval,
    );
    expect(refuseDecision(pending, undefined, { role: 'viewer', approve: true })).toEqual({
      type: ExecutionFailure.ApprovalForbidden,
      message: 'only responder or commander or admin keys may decide this approval; yours is viewer',
    });
    expect(refuseDecision(pending, undefined, { role: 'responder', approve: false })).toBeUndefined();
    expect(decisionMessage({ approved: false, by: 'ops', comment: 'not now', at: '' })).toBe('rejected by ops: not now');
  });

  describe('four eyes', () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    const pending = pendingApproval({ prompt: 'Roll back?', timeout: '1m' }, 60_000, at, {
      approvers: ['responder', 'commander', 'admin'],
      launchedBy: 'dana',
      triggeredBy: 'alertmanager',
    });

    it('refuses an approval by who launched the run, or by the key that started it, and lets anyone else approve', () => {
      expect(refuseDecision(pending, undefined, { role: 'commander', approve: true, actor: 'dana' })).toEqual({
        type: ExecutionFailure.ApprovalForbidden,
        message: 'four eyes: dana launched this run, so someone else must approve it',
      });
      expect(refuseDecision(pending, undefined, { role: 'responder', approve: true, actor: 'alertmanager' })).toEqual({
        type: ExecutionFailure.ApprovalForbidden,
        message: 'four eyes: the key alertmanager started this run, so someone else must approve it',
      });
      expect(refuseDecision(pending, undefined, { role: 'responder', approve: true, actor: 'lee' })).toBeUndefined();
      // Stopping a run needs no second person.
      expect(refuseDecision(pending, undefined, { role: 'commander', approve: false, actor: 'dana' })).toBeUndefined();
    });

    it('with one approval required, decides at once, as it always did', () => {
      expect(pending).not.toHaveProperty('required');
      expect(takeDecision(pending, { approve: true, actor: 'lee' }, 'now')).toEqual({ decision: { approved: true, by: 'lee', comment: undefined, at: 'now' }, final: true });
    });

    it('with two required, needs two distinct approvers; one rejection rejects', () => {
      const gate = pendingApproval({ prompt: 'Roll back?', timeout: '1m', required: 2 }, 60_000, at, { approvers: ['responder'], launchedBy: 'dana' });
      expect(gate).toMatchObject({ required: 2, approvedBy: [] });
      const first = takeDecision(gate, { approve: true, actor: 'lee' }, 't1');
      expect(first).toEqual({ decision: { approved: true, by: 'lee', approvedBy: ['lee'], outstanding: 1, comment: undefined, at: 't1' }, final: false });
      expect(refuseDecision(gate, undefined, { role: 'responder', approve: true, actor: 'lee' })).toEqual({
        type: ExecutionFailure.ApprovalForbidden,
        message: 'lee approved already; 1 more approval(s) by someone else are needed',
      });
      const second = takeDecision(gate, { approve: true, actor: 'kim' }, 't2');
      expect(second).toEqual({ decision: { approved: true, by: 'kim', approvedBy: ['lee', 'kim'], comment: undefined, at: 't2' }, final: true });
      expect(decisionMessage(second.decision)).toBe('approved by lee and kim');

      const other = pendingApproval({ prompt: 'Roll back?', timeout: '1m', required: 3 }, 60_000, at, { approvers: ['responder'] });
      takeDecision(other, { approve: true, actor: 'lee' }, 't1');
      expect(takeDecision(other, { approve: false, actor: 'kim', comment: 'no' }, 't2')).toEqual({
        decision: { approved: false, by: 'kim', comment: 'no', at: 't2' },
        final: true,
      });
    });

    it('bounds how many approvers a request may require', () => {
      expect(pendingApproval({ prompt: 'p', timeout: 1, required: 1_000 }, 1, at).required).toBe(MAX_REQUIRED_APPROVERS);
      expect(pendingApproval({ prompt: 'p', timeout: 1, required: 0 }, 1, at)).not.toHaveProperty('required');
      expect(pendingApproval({ prompt: 'p', timeout: 1, required: 1.5 }, 1, at)).not.toHaveProperty('required');
    });
  });

  it('takes launch and approve roles from the runbook, else from the rights table by destructiveness', () => {
    expect(launchRoles({})).toEqual(['responder', 'commander', 'admin']);
    expect(launchRoles({ destructive: true })).toEqual(['commander', 'admin']);
    expect(launchRoles({ destructive: true, permissions: { launch: ['admin'] } })).toEqual(['admin']);
    expect(approveRoles({ destructive: true })).toEqual(['responder', 'commander', 'admin']);
    expect(approveRoles({ permissions: { approve: ['commander'] } })).toEqual(['commander']);
    expect(refuseLaunch({ id: 'rollback', destructive: true }, 'responder')).toBe('only commander or admin keys may launch rollback (destructive); yours is responder');
    expect(refuseLaunch({ id: 'rollback', destructive: true }, 'commander')).toBeUndefined();
  });
});
