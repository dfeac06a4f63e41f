/**
 * Search attributes incidents are listed and filtered by. The dev server registers them at
 * start (see scripts/temporal.mjs); a production namespace needs them created once
 * (`temporal operator search-attribute create`).
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import type { OpenIncidentInput } from './incident';
import { IncidentStatus, type Severity } from './incident-model';

export const IncidentStatusAttribute = defineSearchAttributeKey('FirebreakStatus', SearchAttributeType.KEYWORD);
export const IncidentSeverityAttribute = defineSearchAttributeKey('FirebreakSeverity', SearchAttributeType.KEYWORD);
export const IncidentServiceAttribute = defineSearchAttributeKey('FirebreakService', SearchAttributeType.KEYWORD);
export const IncidentCommanderAttribute = defineSearchAttributeKey('FirebreakCommander', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  IncidentStatusAttribute,
  IncidentSeverityAttribute,
  IncidentServiceAttribute,
  IncidentCommanderAttribute,
] as const;

/** What an incident publishes for listing: the incident workflow as it changes, and the start before it runs. */
export function incidentSearchAttributes(incident: {
  status: IncidentStatus;
  severity: Severity;
  service?: string;
  commander?: string;
}): SearchAttributePair[] {
  return [
    { key: IncidentStatusAttribute, value: incident.status },
    { key: IncidentSeverityAttribute, value: incident.severity },
    ...(incident.service ? [{ key: IncidentServiceAttribute, value: incident.service }] : []),
    ...(incident.commander ? [{ key: IncidentCommanderAttribute, value: incident.commander }] : []),
  ];
}

/** The search attributes an incident starts with, so it is listed from its first moment. */
export function openingSearchAttributes(open: Pick<OpenIncidentInput, 'severity' | 'service' | 'commander'>): SearchAttributePair[] {
  return incidentSearchAttributes({ ...open, status: IncidentStatus.Triggered });
}
