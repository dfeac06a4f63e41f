/**
 * The contract of the activities that talk to Firebreak itself through Temporal
 * (activities/platform/), for the workflows that call them: workflow code imports contracts
 * from core, never from activities/.
 */
import type { GuardAcquireInput, GuardDecision, GuardReleaseInput } from '../execution';
import type { IncidentSnapshot, QueuedAlert } from '../incident';

export interface PlatformActivities {
  /** The incident as its workflow knows it; null when it does not exist. */
  incidentRead(input: { incidentId: string }): Promise<IncidentSnapshot | null>;
  /** Leads or joins the guardrail of a runbook and target. */
  guardAcquire(input: GuardAcquireInput): Promise<GuardDecision>;
  /** Delivers an alert queue whose API process did not. */
  deliverQueuedAlerts(input: { queueId: string; alerts: QueuedAlert[] }): Promise<{ recorded: number; ignored: number }>;
  guardRelease(input: GuardReleaseInput): Promise<void>;
}
