/**
 * The contract of the activities that talk to Firebreak itself through Temporal
 * (activities/platform/), for the workflows that call them: workflow code imports contracts
 * from core, never from activities/.
 */
import type { GuardAcquireInput, GuardDecision, GuardReleaseInput } from '../execution';
import type { IncidentSnapshot, QueuedAlert } from '../incident';
import type { LevelNotify, ResolvedLevel } from '../oncall/types';

export interface PlatformActivities {
  /** The incident as its workflow knows it; null when it does not exist. */
  incidentRead(input: { incidentId: string }): Promise<IncidentSnapshot | null>;
  /** Leads or joins the guardrail of a runbook and target. */
  guardAcquire(input: GuardAcquireInput): Promise<GuardDecision>;
  /** Delivers an alert queue whose API process did not. */
  deliverQueuedAlerts(input: { queueId: string; alerts: QueuedAlert[] }): Promise<{ recorded: number; ignored: number }>;
  guardRelease(input: GuardReleaseInput): Promise<void>;
}

export interface ResolveLevelInput {
  incidentId: string;
  targets: string[];
  /** The level's page time (ISO-8601), from the workflow's clock. */
  at: string;
  notify?: LevelNotify;
}

/** Who is on call (activities/platform/oncall.ts). */
export interface OncallActivities {
  /** An escalation level's targets resolved to people (and pager targets) at `at`. */
  oncallResolve(input: ResolveLevelInput): Promise<ResolvedLevel>;
}
