import type { DecideApprovalInput, PendingApproval } from '../execution';
import { ExecutionFailure } from '../execution';
import type { ApprovalDecision, ApprovalRequest } from '../runbook';
import type { Role } from '../../schemas/config';
import { rolesFrom } from '../roles';

/** Who decides when neither the request nor the runbook names anyone: responder and up. */
export const DEFAULT_APPROVERS: Role[] = rolesFrom('responder');

/** Distinct approvers a request may require: more would wait on people who may not exist. */
export const MAX_REQUIRED_APPROVERS = 10;

/**
 * The approval a run waits for, as the run holds it: besides what the API shows, who may
 * not approve (four eyes) and, when several approvers are required, who approved so far.
 * Approvals requested before these fields existed carry none of them.
 */
export interface ApprovalGate extends PendingApproval {
  /** Distinct approvals needed; absent: one. */
  required?: number;
  /** Who approved so far, when more than one approval is required. */
  approvedBy?: string[];
  /** The principal that launched the run by hand: it may not approve its own run. */
  launchedBy?: string;
  /** The API key whose alert (or declaration) started the run: it may not approve it. */
  triggeredBy?: string;
}

/** Why a decision cannot be taken now (as a failure type and message), or undefined. */
export function refuseDecision(
  pending: ApprovalGate | undefined,
  decided: ApprovalDecision | undefined,
  { role, approve, actor }: Pick<DecideApprovalInput, 'role' | 'approve'> & Partial<Pick<DecideApprovalInput, 'actor'>>,
): { type: string; message: string } | undefined {
  if (!pending || decided) return { type: ExecutionFailure.NoPendingApproval, message: 'no approval is pending' };
  if (typeof approve !== 'boolean') return { type: ExecutionFailure.NoPendingApproval, message: 'approve must be true or false' };
  if (!pending.approvers.includes(role)) {
    return {
      type: ExecutionFailure.ApprovalForbidden,
      message: `only ${pending.approvers.join(' or ')} keys may decide this approval; yours is ${role}`,
    };
  }
  // Four eyes: anyone allowed may stop a run, but approving takes someone other than who started it.
  if (approve && actor !== undefined) {
    if (actor === pending.launchedBy) {
      return { type: ExecutionFailure.ApprovalForbidden, message: `four eyes: ${actor} launched this run, so someone else must approve it` };
    }
    if (actor === pending.triggeredBy) {
      return { type: ExecutionFailure.ApprovalForbidden, message: `four eyes: the key ${actor} started this run, so someone else must approve it` };
    }
    if (pending.approvedBy?.includes(actor)) {
      const left = (pending.required ?? 1) - pending.approvedBy.length;
      return { type: ExecutionFailure.ApprovalForbidden, message: `${actor} approved already; ${left} more approval(s) by someone else are needed` };
    }
  }
  return undefined;
}

/** Who may not approve a run, and how many must: what {@link pendingApproval} adds to the request. */
export interface GateOptions {
  approvers: Role[];
  launchedBy?: string;
  triggeredBy?: string;
}

/** The approval a run waits for, from `now` for `timeoutMs`. */
export function pendingApproval(request: ApprovalRequest, timeoutMs: number, now: number, gate?: GateOptions): ApprovalGate {
  const required = requiredApprovers(request);
  return {
    prompt: request.prompt,
    approvers: request.approvers ?? gate?.approvers ?? [...DEFAULT_APPROVERS],
    requestedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + timeoutMs).toISOString(),
    ...(required > 1 ? { required, approvedBy: [] } : {}),
    ...(gate?.launchedBy !== undefined ? { launchedBy: gate.launchedBy } : {}),
    ...(gate?.triggeredBy !== undefined ? { triggeredBy: gate.triggeredBy } : {}),
  };
}

/** How many distinct approvals a request needs, within 1 and {@link MAX_REQUIRED_APPROVERS}. */
export function requiredApprovers(request: Pick<ApprovalRequest, 'required'>): number {
  const required = request.required ?? 1;
  return Number.isInteger(required) ? Math.min(Math.max(required, 1), MAX_REQUIRED_APPROVERS) : 1;
}

/**
 * Takes a decision the gate allowed (see {@link refuseDecision}) at `at`: the final one, or
 * with more approvals required and not all given yet, an approval counted on the gate and
 * `final: false`. With one approval required, every decision is final, as it always was.
 */
export function takeDecision(
  gate: ApprovalGate | undefined,
  { approve, comment, actor }: Pick<DecideApprovalInput, 'approve' | 'comment' | 'actor'>,
  at: string,
): { decision: ApprovalDecision; final: boolean } {
  if (!approve || !gate?.required || gate.required <= 1) return { decision: { approved: approve, by: actor, comment, at }, final: true };
  const approvedBy = [...(gate.approvedBy ?? []), actor];
  gate.approvedBy = approvedBy;
  const final = approvedBy.length >= gate.required;
  return { decision: { approved: true, by: actor, approvedBy, comment, at, ...(final ? {} : { outstanding: gate.required - approvedBy.length }) }, final };
}

/** The log line for a decision. */
export function decisionMessage(made: ApprovalDecision): string {
  const by = made.approvedBy && made.approvedBy.length > 1 ? made.approvedBy.join(' and ') : made.by;
  return `${made.approved ? 'approved' : 'rejected'} by ${by}${made.comment ? `: ${made.comment}` : ''}`;
}
