import type { DecideApprovalInput, PendingApproval } from '../execution';
import { ExecutionFailure } from '../execution';
import type { ApprovalDecision, ApprovalRequest } from '../runbook';
import type { Role } from '../../schemas/config';

/** Who decides when a request names no one. */
export const DEFAULT_APPROVERS: Role[] = ['responder', 'admin'];

/** Why a decision cannot be taken now (as a failure type and message), or undefined. */
export function refuseDecision(
  pending: PendingApproval | undefined,
  decided: ApprovalDecision | undefined,
  { role, approve }: Pick<DecideApprovalInput, 'role' | 'approve'>,
): { type: string; message: string } | undefined {
  if (!pending || decided) return { type: ExecutionFailure.NoPendingApproval, message: 'no approval is pending' };
  if (typeof approve !== 'boolean') return { type: ExecutionFailure.NoPendingApproval, message: 'approve must be true or false' };
  if (!pending.approvers.includes(role)) {
    return {
      type: ExecutionFailure.ApprovalForbidden,
      message: `only ${pending.approvers.join(' or ')} keys may decide this approval; yours is ${role}`,
    };
  }
  return undefined;
}

/** The approval a run waits for, from `now` for `timeoutMs`. */
export function pendingApproval(request: ApprovalRequest, timeoutMs: number, now: number): PendingApproval {
  return {
    prompt: request.prompt,
    approvers: request.approvers ?? [...DEFAULT_APPROVERS],
    requestedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + timeoutMs).toISOString(),
  };
}

/** The log line for a decision. */
export function decisionMessage(made: ApprovalDecision): string {
  return `${made.approved ? 'approved' : 'rejected'} by ${made.by}${made.comment ? `: ${made.comment}` : ''}`;
}
