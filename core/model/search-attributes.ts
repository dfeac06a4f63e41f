/**
 * Search attributes incidents are listed and filtered by. The dev server registers them at
 * start (see scripts/temporal.mjs); a production namespace needs them created once
 * (`temporal operator search-attribute create`).
 */
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType, type TypedSearchAttributes } from '@temporalio/common';
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

/** What an incident is listed and filtered by. */
export interface IncidentListing {
  status: IncidentStatus;
  severity: Severity;
  service?: string;
  commander?: string;
}

/** What an incident publishes for listing: the incident workflow as it changes, and the start before it runs. */
export function incidentSearchAttributes(incident: IncidentListing): SearchAttributePair[] {
  return [
    { key: IncidentStatusAttribute, value: incident.status },
    { key: IncidentSeverityAttribute, value: incident.severity },
    ...(incident.service ? [{ key: IncidentServiceAttribute, value: incident.service }] : []),
    ...(incident.commander ? [{ key: IncidentCommanderAttribute, value: incident.commander }] : []),
  ];
}

/**
 * What an incident's start carries to be listed from its first moment: its search attributes,
 * its title in the memo, and `listed` in its input, so the workflow does not publish them again.
 */
export function listedStart(open: OpenIncidentInput): {
  args: [OpenIncidentInput];
  memo: { title: string };
  typedSearchAttributes: SearchAttributePair[];
} {
  return {
    args: [{ ...open, listed: true }],
    memo: { title: open.title },
    typedSearchAttributes: incidentSearchAttributes({ ...open, status: IncidentStatus.Triggered }),
  };
}

/** A listing as one comparable value: publishing an equal one again would only cost writes. */
export function listingKey({ status, severity, service, commander }: Partial<IncidentListing>): string {
  return JSON.stringify([status ?? null, severity ?? null, service ?? null, commander ?? null]);
}

/** The listing a run holds in its search attributes: set at its start, or carried by continue-as-new. */
export function heldListingKey(attributes: TypedSearchAttributes): string {
  return listingKey({
    status: attributes.get(IncidentStatusAttribute) as IncidentStatus | undefined,
    severity: attributes.get(IncidentSeverityAttribute) as Severity | undefined,
    service: attributes.get(IncidentServiceAttribute),
    commander: attributes.get(IncidentCommanderAttribute),
  });
}
