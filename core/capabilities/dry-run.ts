/**
 * What each step returns in a dry run, when no vendor is called: typed placeholders,
 * recognisable as such, built from the step's own input so the plan reads true.
 */
import type { CapabilityActivities } from './activities';

type Results = { [A in keyof CapabilityActivities]: Awaited<ReturnType<CapabilityActivities[A]>> };
type Inputs = { [A in keyof CapabilityActivities]: Parameters<CapabilityActivities[A]>[0] };

const PLACEHOLDERS: { [A in keyof CapabilityActivities]: (input: Inputs[A], stepId: string) => Results[A] } = {
  ticketingCreateTicket: (_input, stepId) => ({ key: `DRY-RUN-${stepId}`, url: 'dry-run:ticket', created: false }),
  ticketingComment: () => undefined,
  ticketingTransition: () => undefined,
  chatCreateChannel: (input) => ({ id: `dry-run-channel`, name: input.name, created: false }),
  chatInvite: () => undefined,
  chatPostMessage: (input) => ({ channelId: input.channelId, ts: 'dry-run', created: false }),
  chatSetTopic: () => undefined,
  videoCreateMeeting: () => ({ id: 'dry-run-meeting', joinUrl: 'dry-run:meeting', created: false }),
  statusPageOpenIncident: () => ({ id: 'dry-run-status-incident', created: false }),
  statusPageUpdateIncident: () => undefined,
  statusPageSetComponentStatus: () => undefined,
  deployFindReleases: () => ({
    current: { ref: 'dry-run-current', id: 'dry-run-current' },
    previousGood: { ref: 'dry-run-previous-good', id: 'dry-run-previous-good' },
  }),
  deployRollback: (input) => ({ deploymentId: 'dry-run', ref: input.to.ref, created: false, stable: true }),
  scalingDescribeService: (input) => ({
    ref: input.ref,
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    deployments: [],
    events: [{ message: 'dry run: the service was not described' }],
  }),
  scalingScaleService: (input) => ({ previousCount: input.desiredCount, desiredCount: input.desiredCount, stable: true }),
  pagingPage: (input) => ({ dedupKey: input.dedupKey, delivered: false, provider: 'dry-run' }),
};

export function dryRunResult<A extends keyof CapabilityActivities>(activity: A, input: Inputs[A], stepId: string): Results[A] {
  return PLACEHOLDERS[activity](input, stepId);
}
