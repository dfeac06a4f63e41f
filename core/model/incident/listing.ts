/**
 * What an incident is listed by, and what the postmortem and the state size read at each
 * publish. Pure.
 */
import type { IncidentSnapshot } from '../incident';
import type { IncidentListing } from '../search-attributes';

/** What this incident is listed by now. */
export const listingOf = (incident: IncidentSnapshot): IncidentListing => ({
  status: incident.status,
  severity: incident.severity,
  service: incident.service,
  commander: incident.roles.commander,
  chatChannel: incident.chat?.channelId,
});
