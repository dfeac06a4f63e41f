/** Action items become tickets when the incident closes. Pure. */
import type { ActionItem, IncidentSnapshot } from '../incident';

/** Items still without a ticket. */
export const unfiledItems = (incident: IncidentSnapshot): ActionItem[] => incident.actionItems.filter((item) => !item.ticket);

/** The ticket filed for an action item (the idempotency key aside). */
export function actionItemTicket(incident: IncidentSnapshot, item: ActionItem) {
  return {
    incidentId: incident.id,
    summary: item.title,
    description: `Action item ${item.id} from incident ${incident.id}: ${incident.title}${item.owner ? `\nOwner: ${item.owner}` : ''}`,
    priority: incident.priority,
    labels: ['firebreak', 'postmortem-action-item'],
  };
}
