import { proxyActivities } from '@temporalio/workflow';
import type { CapabilityActivities } from '../../core/model/capabilities/activities';
import type { OncallActivities } from '../../core/model/capabilities/platform-activities';

/** The activities an incident calls, each retried for about ten minutes before it counts as failed. */
export const { pagingPage, statusPageOpenIncident, statusPageUpdateIncident, ticketingCreateTicket } = proxyActivities<CapabilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Keeping the incident's chat channel current: a few quick tries, then the message is passed over. */
export const { chatPostMessage, chatUpdateMessage } = proxyActivities<CapabilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/**
 * Notifying a person: retried for about half a minute, not ten, because a channel that
 * keeps failing hands over to the person's next method, and at 3 a.m. that must be soon.
 */
export const { notificationSend } = proxyActivities<CapabilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

/** Who is on call: read from the worker's schedules and the overrides workflows, in seconds. */
export const { oncallResolve } = proxyActivities<OncallActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 5 },
});
