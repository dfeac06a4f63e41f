import { proxyActivities } from '@temporalio/workflow';
import type { CapabilityActivities } from '../../core/model/capabilities/activities';

/** The activities an incident calls, each retried for about ten minutes before it counts as failed. */
export const { pagingPage, statusPageOpenIncident, statusPageUpdateIncident, ticketingCreateTicket } = proxyActivities<CapabilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
