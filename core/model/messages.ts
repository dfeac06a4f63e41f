/**
 * Signals, queries and updates, defined once and imported by both the workflows and the API.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  IncidentActionResult,
  IncidentSnapshot,
  IngestAlertsInput,
  IngestAlertsResult,
  RecordEventInput,
} from './incident';
import type { IncidentCommand } from '../schemas/incident-actions';
import type { DecideApprovalInput, ExecutionSnapshot, GuardAcquireInput, GuardDecision, GuardReleaseInput, GuardState } from './execution';
import type { ApprovalDecision } from './runbook';

/** Records a batch of alerts on the incident. Rejected with `IncidentNotOpen` once resolved. */
export const ingestAlertsUpdate = defineUpdate<IngestAlertsResult, [IngestAlertsInput]>('ingestAlerts');

/** The API delivered every alert of an alert queue to its incident; the queue ends. */
export const alertQueueDeliveredSignal = defineSignal('alertQueueDelivered');

/** Runs one command (acknowledge, resolve, ...). Rejected with the reason when not allowed now. */
export const incidentActionUpdate = defineUpdate<IncidentActionResult, [IncidentCommand]>('incidentAction');

/** Adds an entry to the timeline from another workflow. */
export const recordEventSignal = defineSignal<[RecordEventInput]>('recordEvent');

/** The whole incident as the workflow knows it. */
export const incidentQuery = defineQuery<IncidentSnapshot>('incident');

/** A heartbeat monitor's ping. */
export const heartbeatPingSignal = defineSignal<[{ at: string; by: string }]>('heartbeatPing');

export interface HeartbeatStatus {
  name: string;
  lastPingAt?: string;
  pings: number;
  /** The incident declared for the current silence, if any. */
  openIncidentId?: string;
  incidentsDeclared: number;
}

/** A heartbeat monitor's state. */
export const heartbeatQuery = defineQuery<HeartbeatStatus>('heartbeat');

// ---- runbook executions ----------------------------------------------------------------

/** The execution as the runbook workflow knows it. */
export const executionQuery = defineQuery<ExecutionSnapshot>('execution');

/** Decides the pending approval; refused when none is pending or the role may not decide. */
export const decideApprovalUpdate = defineUpdate<ApprovalDecision, [DecideApprovalInput]>('decideApproval');

/** Takes the guardrail for a run: lead it (within budget or not) or join the running one. */
export const guardAcquireUpdate = defineUpdate<GuardDecision, [GuardAcquireInput]>('guardAcquire');

/** A run that led the guardrail has finished. */
export const guardReleaseSignal = defineSignal<[GuardReleaseInput]>('guardRelease');

export const guardQuery = defineQuery<GuardState>('guard');
