/**
 * Search attributes incidents and runbook executions are listed and filtered by. The dev
 * server registers them at start (see scripts/temporal.mjs); a production namespace needs
 * them created once (`temporal operator search-attribute create`; docker-compose.yml's
 * temporal-setup does).
 */
import { defineSearchAttributeKey, type Priority, type SearchAttributePair, SearchAttributeType, type TypedSearchAttributes } from '@temporalio/common';
import type { ExecutionStatus, PendingApproval } from './execution';
import type { OpenIncidentInput } from './incident';
import { goesFirst, IncidentStatus, type Severity } from './incident-model';

export const IncidentStatusAttribute = defineSearchAttributeKey('FirebreakStatus', SearchAttributeType.KEYWORD);
export const IncidentSeverityAttribute = defineSearchAttributeKey('FirebreakSeverity', SearchAttributeType.KEYWORD);
export const IncidentServiceAttribute = defineSearchAttributeKey('FirebreakService', SearchAttributeType.KEYWORD);
export const IncidentCommanderAttribute = defineSearchAttributeKey('FirebreakCommander', SearchAttributeType.KEYWORD);
/** The incident's chat channel (the vendor's channel id), once a runbook opened one: how a slash command finds its channel's incident. */
export const IncidentChatChannelAttribute = defineSearchAttributeKey('FirebreakChatChannel', SearchAttributeType.KEYWORD);

/** A runbook execution's runbook id. */
export const ExecutionRunbookAttribute = defineSearchAttributeKey('FirebreakRunbook', SearchAttributeType.KEYWORD);
/** A runbook execution's status (`ExecutionStatus`); `waiting-approval` is "awaiting approval". */
export const ExecutionStatusAttribute = defineSearchAttributeKey('FirebreakExecutionStatus', SearchAttributeType.KEYWORD);
/** The incident a runbook execution runs for, when it has one. */
export const ExecutionIncidentAttribute = defineSearchAttributeKey('FirebreakIncident', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  IncidentStatusAttribute,
  IncidentSeverityAttribute,
  IncidentServiceAttribute,
  IncidentCommanderAttribute,
  IncidentChatChannelAttribute,
  ExecutionRunbookAttribute,
  ExecutionStatusAttribute,
  ExecutionIncidentAttribute,
] as const;

/** What an incident is listed and filtered by. */
export interface IncidentListing {
  status: IncidentStatus;
  severity: Severity;
  service?: string;
  commander?: string;
  chatChannel?: string;
}

/** What an incident publishes for listing: the incident workflow as it changes, and the start before it runs. */
export function incidentSearchAttributes(incident: IncidentListing): SearchAttributePair[] {
  return [
    { key: IncidentStatusAttribute, value: incident.status },
    { key: IncidentSeverityAttribute, value: incident.severity },
    ...(incident.service ? [{ key: IncidentServiceAttribute, value: incident.service }] : []),
    ...(incident.commander ? [{ key: IncidentCommanderAttribute, value: incident.commander }] : []),
    ...(incident.chatChannel ? [{ key: IncidentChatChannelAttribute, value: incident.chatChannel }] : []),
  ];
}

/**
 * Temporal task priority by severity (1 runs first; tasks without one count as 3): a SEV0 or
 * SEV1 incident's workflow tasks and activities (its pages, and the runbooks it starts as
 * children) go ahead of a storm's backlog on the shared task queue. Needs the server's
 * priority matcher (`matching.useNewMatcher`; scripts/temporal.mjs sets it); a server
 * without it ignores the key and delivers first come, first served.
 */
export function incidentTaskPriority(severity: Severity): Priority | undefined {
  if (!goesFirst(severity)) return undefined;
  return { priorityKey: severity === 'SEV0' ? 1 : 2 };
}

/**
 * What an incident's start carries to be listed from its first moment: its search attributes,
 * its title in the memo, and `listed` in its input, so the workflow does not publish them again;
 * and its task priority by severity ({@link incidentTaskPriority}).
 */
export function listedStart(open: OpenIncidentInput): {
  args: [OpenIncidentInput];
  memo: { title: string };
  typedSearchAttributes: SearchAttributePair[];
  priority?: Priority;
} {
  const priority = incidentTaskPriority(open.severity);
  return {
    args: [{ ...open, listed: true }],
    memo: { title: open.title },
    typedSearchAttributes: incidentSearchAttributes({ ...open, status: IncidentStatus.Triggered }),
    ...(priority ? { priority } : {}),
  };
}

/**
 * A listing as one comparable value: publishing an equal one again would only cost writes.
 * The chat channel counts only once there is one, so a run without one publishes (and
 * replays) exactly as before the channel was listed.
 */
export function listingKey({ status, severity, service, commander, chatChannel }: Partial<IncidentListing>): string {
  const values = [status ?? null, severity ?? null, service ?? null, commander ?? null];
  return JSON.stringify(chatChannel ? [...values, chatChannel] : values);
}

/** The listing a run holds in its search attributes: set at its start, or carried by continue-as-new. */
export function heldListingKey(attributes: TypedSearchAttributes): string {
  return listingKey({
    status: attributes.get(IncidentStatusAttribute) as IncidentStatus | undefined,
    severity: attributes.get(IncidentSeverityAttribute) as Severity | undefined,
    service: attributes.get(IncidentServiceAttribute),
    commander: attributes.get(IncidentCommanderAttribute),
    chatChannel: attributes.get(IncidentChatChannelAttribute),
  });
}

/** What a runbook execution is listed and filtered by. */
export interface ExecutionListing {
  runbookId: string;
  status: ExecutionStatus;
  incidentId?: string;
}

/** What a runbook execution publishes for listing, at its start and as its status changes. */
export function executionSearchAttributes({ runbookId, status, incidentId }: ExecutionListing): SearchAttributePair[] {
  return [
    { key: ExecutionRunbookAttribute, value: runbookId },
    { key: ExecutionStatusAttribute, value: status },
    ...(incidentId ? [{ key: ExecutionIncidentAttribute, value: incidentId }] : []),
  ];
}

/** The most characters of an approval's prompt a listing carries (the execution holds it whole). */
export const LISTED_PROMPT_MAX_CHARS = 200;

/** The memo a runbook execution is listed with: what the list shows beyond its search attributes. */
export interface ExecutionMemo {
  title: string;
  dryRun: boolean;
  launchedBy: string;
  /** While an approval waits: its prompt (cut to {@link LISTED_PROMPT_MAX_CHARS}), who may decide, until when. */
  pendingApproval?: Pick<PendingApproval, 'approvers' | 'requestedAt' | 'expiresAt'> & { prompt: string };
}

/** The memo's `pendingApproval` for `pending`, or null to clear it. */
export function listedApproval(pending: PendingApproval | undefined): ExecutionMemo['pendingApproval'] | null {
  if (!pending) return null;
  const { prompt, approvers, requestedAt, expiresAt } = pending;
  const cut = prompt.length > LISTED_PROMPT_MAX_CHARS ? `${prompt.slice(0, LISTED_PROMPT_MAX_CHARS - 1)}…` : prompt;
  return { prompt: cut, approvers: [...approvers], requestedAt, expiresAt };
}
