/**
 * Search attributes incidents are listed and filtered by. The dev server registers them at
 * start (see scripts/temporal.mjs); a production namespace needs them created once
 * (`temporal operator search-attribute create`).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
