/**
 * A test-only workflow that runs one Firebreak activity by name with the given options:
 * how adapter tests put an activity through Temporal's real retries and timeouts.
 */
import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';

export interface StepWorkflowInput {
  activity: string;
  input: unknown;
  options: ActivityOptions;
}

export async function stepWorkflow({ activity, input, options }: StepWorkflowInput): Promise<unknown> {
  const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>(options);
  return activities[activity](input);
}
