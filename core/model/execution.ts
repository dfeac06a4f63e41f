/**
 * A runbook execution as the runbook workflow records it and the API shows it.
 */
import type { Role } from '../schemas/config';
import type { ApprovalDecision } from './runbook';
import type { RunbookLaunch } from './runbook-launch';
import { shortHash } from './text';

export interface RunbookExecutionInput extends RunbookLaunch {
  incidentId?: string;
  dryRun?: boolean;
  /** API key name, or `incident` / `route` when started automatically. */
  launchedBy: string;
  trigger: 'manual' | 'alert' | 'route';
}

export const ExecutionStatus = {
  Running: 'running',
  WaitingApproval: 'waiting-approval',
  Compensating: 'compensating',
  Completed: 'completed',
  Failed: 'failed',
  Cancelled: 'cancelled',
  /** Single-flight: another run for the same target was running; this one joined it. */
  Joined: 'joined',
  /** The target's budget was spent: a human was paged instead. */
  OverBudget: 'over-budget',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export interface StepRecord {
  id: string;
  /** `<capability>.<method>`, e.g. `scaling.scaleService`. */
  name: string;
  args: unknown;
  status: 'running' | 'completed' | 'failed' | 'planned';
  /** Set on steps run to undo another: the id of the step undone. */
  compensates?: string;
  startedAt: string;
  endedAt?: string;
  result?: unknown;
  error?: string;
  /** Activity attempts, read from the workflow's history by the API. */
  attempts?: number;
}

export interface PendingApproval {
  prompt: string;
  approvers: Role[];
  requestedAt: string;
  expiresAt: string;
}

export interface ExecutionOutcome {
  status: ExecutionStatus;
  result?: unknown;
  error?: string;
  /** Step ids whose compensations ran, in the order they ran. */
  undone: string[];
  /** The execution this one joined (single-flight). */
  joined?: string;
}

export interface ExecutionSnapshot {
  id: string;
  runbookId: string;
  runbookVersion: number;
  title: string;
  status: ExecutionStatus;
  dryRun: boolean;
  incidentId?: string;
  launchedBy: string;
  trigger: RunbookExecutionInput['trigger'];
  input: unknown;
  startedAt: string;
  endedAt?: string;
  currentStep?: string;
  steps: StepRecord[];
  pendingApproval?: PendingApproval;
  approvals: Array<ApprovalDecision & { prompt: string }>;
  log: Array<{ at: string; message: string }>;
  outcome?: ExecutionOutcome;
}

export interface DecideApprovalInput {
  approve: boolean;
  comment?: string;
  actor: string;
  role: Role;
}

/** Failure types of runbook executions; the API maps them to status codes. */
export const ExecutionFailure = {
  NoPendingApproval: 'NoPendingApproval',
  ApprovalForbidden: 'ApprovalForbidden',
  InvalidInput: 'RunbookInputInvalid',
  UnknownRunbook: 'UnknownRunbook',
  Failed: 'RunbookFailed',
} as const;

/** Guardrail state per runbook and target, kept by a long-lived workflow. */
export interface GuardAcquireInput {
  runbookId: string;
  target: string;
  executionId: string;
  singleFlight: boolean;
  budget?: { max: number; windowMinutes: number };
  /**
   * A leader the caller found no longer running (terminated, or ended before its release
   * reached the guard): the guard lets it go and decides in the same update, whatever the
   * order in which it sees this and the leader's own release.
   */
  replacing?: string;
}

export type GuardDecision =
  | { role: 'follower'; leader: string }
  | { role: 'leader'; allowed: boolean; used: number; max?: number; windowMinutes?: number };

export interface GuardReleaseInput {
  runbookId: string;
  target: string;
  executionId: string;
}

export interface GuardState {
  runbookId: string;
  target: string;
  active?: string;
  /** When runs that acted started (ISO), within the budget window. */
  actions: string[];
}

/**
 * The runbook guard workflow's signature, for code that starts it by its type name
 * (`'runbookGuardWorkflow'`) without importing workflow code.
 */
export type RunbookGuardWorkflow = (initial: GuardState) => Promise<void>;

/** Targets longer than this (or with characters a workflow id should not hold) are held as a prefix and a hash. */
const GUARD_TARGET_MAX_CHARS = 200;

/**
 * The guard workflow of a runbook and target. A plain, short target is kept as it is; any
 * other is held as its readable, sanitised prefix plus a hash of the whole target, so two
 * targets never share a guard (`Ω1` and `Ж1` would both sanitise to `_1`) and the id stays
 * far inside Temporal's 1,000-byte limit whatever the target.
 */
export function guardWorkflowId(runbookId: string, target: string): string {
  const safe = target.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe === target && target.length <= GUARD_TARGET_MAX_CHARS) return `guard-${runbookId}-${target}`;
  return `guard-${runbookId}-${safe.slice(0, GUARD_TARGET_MAX_CHARS - 17)}~${shortHash(target)}`;
}
