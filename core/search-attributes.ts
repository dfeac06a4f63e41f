/**
 * Search attributes incidents are listed and filtered by. The dev server registers them at
 * start (see scripts/temporal.mjs); a production namespace needs them created once
 * (`temporal operator search-attribute create`).
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import type { OpenIncidentInput } from './incident';
import { IncidentStatus } from './incident-model';

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

/** The search attributes an incident starts with, so it is listed from its first moment. */
export function openingSearchAttributes(open: Pick<OpenIncidentInput, 'severity' | 'service' | 'commander'>): SearchAttributePair[] {
  return [
    { key: IncidentStatusAttribute, value: IncidentStatus.Triggered },
    { key: IncidentSeverityAttribute, value: open.severity },
    ...(open.service ? [{ key: IncidentServiceAttribute, value: open.service }] : []),
    ...(open.commander ? [{ key: IncidentCommanderAttribute, value: open.commander }] : []),
  ];
}
