import { ExecutionFailure } from '../execution';
import { refuseDecision, pendingApproval, decisionMessage } from './approvals';
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
      retry: { maximumAttempts: 5, initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
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
      approvers: ['responder', 'admin'],
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
      message: 'only responder or admin keys may decide this approval; yours is viewer',
    });
    expect(refuseDecision(pending, undefined, { role: 'responder', approve: false })).toBeUndefined();
    expect(decisionMessage({ approved: false, by: 'ops', comment: 'not now', at: '' })).toBe('rejected by ops: not now');
  });
});
