/**
 * Outgoing webhook events: their types, which ones a change of an incident or a runbook
 * execution produces, their ids, and the body each delivery carries (the Standard Webhooks
 * envelope `{ type, timestamp, data }`). Pure and zod-free: the incident and runbook
 * workflows derive events with it, the publishing activity builds the bodies.
 */
import type { ExecutionSnapshot } from './execution';
import type { IncidentRoles, IncidentSnapshot } from './incident';
import type { IncidentStatus, Severity } from './incident-model';
import { shortHash, truncateText } from './text';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType, type WebhookInterest } from './webhook-event-types';
import type { WebhookEventType, WebhookInterest } from './webhook-event-types';

export const wantsEvent = (interest: WebhookInterest, type: WebhookEventType): boolean => interest === '*' || interest.includes(type);

/** Bounds on what an event carries, so a body stays far below the 20 KB the spec recommends. */
export const WEBHOOK_EVENT_LIMITS = {
  /** Titles, prompts, comments, actors, step names. */
  textBytes: 1024,
  /** Error messages (a failed execution's, a delivery's last one). */
  errorBytes: 500,
  /** A whole body as JSON. */
  bodyBytes: 16 * 1024,
} as const;

/** An event as a workflow records it: `data` without links (the publishing activity adds them). */
export interface WebhookEvent {
  /** Stable across retries and replays: {@link webhookEventId}. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (the workflow's clock), ISO-8601. */
  timestamp: string;
  data: WebhookEventData;
}

/** An event before it has an id and a time: what the derivations below return. */
export type WebhookEventDraft = Pick<WebhookEvent, 'type' | 'data'>;

export interface IncidentEventData {
  incident: { id: string; title: string; severity: Severity; status: IncidentStatus; priority?: string; service?: string };
  /** Who caused the change: an API key's name, an alert source, or `firebreak`. */
  actor: string;
  change?: { from: string; to: string };
  role?: { name: RoleName; assignee: string; previous?: string };
}

export interface ExecutionEventData {
  execution: {
    id: string;
    runbookId: string;
    title: string;
    status: ExecutionSnapshot['status'];
    incidentId?: string;
    trigger: ExecutionSnapshot['trigger'];
    launchedBy: string;
  };
  actor: string;
  step?: { id: string; name: string; compensates?: string };
  approval?: { prompt: string; approvers?: string[]; expiresAt?: string; outcome?: ApprovalOutcome; by?: string; comment?: string };
  error?: string;
}

/** `cancelled`: the run ended (cancelled or failed) while the approval waited. */
export type ApprovalOutcome = 'approved' | 'rejected' | 'timed-out' | 'cancelled';

export type WebhookEventData = IncidentEventData | ExecutionEventData;

const text = (value: string) => truncateText(value, WEBHOOK_EVENT_LIMITS.textBytes);

/** A workflow id as an event id holds it: readable when short and plain, else a prefix and a hash. */
function idPart(workflowId: string): string {
  if (/^[A-Za-z0-9_-]{1,80}$/.test(workflowId)) return workflowId;
  return `${workflowId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}_${shortHash(workflowId)}`;
}

/**
 * The id of a workflow's `seq`-th event: the same workflow and number always give the same
 * id, so a retried or replayed publish never makes a new one. No `.` in it: the Standard
 * Webhooks signature joins id, timestamp and body with dots.
 */
export const webhookEventId = (workflowId: string, seq: number): string => `evt_${idPart(workflowId)}_${seq}`;

/** The `webhook-id` header of an event's every delivery attempt. */
export const webhookMessageId = (eventId: string): string => `msg_${eventId}`;

// ---- incidents ------------------------------------------------------------------------

export type RoleName = 'commander' | 'communications' | 'scribe' | 'investigator';

/** What of an incident its events follow, compared before and after each change. */
export interface IncidentView {
  status: IncidentStatus;
  severity: Severity;
  acknowledged: boolean;
  roles: IncidentRoles;
}

export const incidentView = (incident: IncidentSnapshot): IncidentView => ({
  status: incident.status,
  severity: incident.severity,
  acknowledged: incident.acknowledgedAt !== undefined,
  roles: { ...incident.roles, investigators: [...incident.roles.investigators] },
});

function incidentData(incident: IncidentSnapshot, actor: string): IncidentEventData {
  return {
    incident: {
      id: incident.id,
      title: text(incident.title),
      severity: incident.severity,
      status: incident.status,
      ...(incident.priority ? { priority: incident.priority } : {}),
      ...(incident.service ? { service: text(incident.service) } : {}),
    },
    actor: text(actor),
  };
}

export const incidentOpened = (incident: IncidentSnapshot): WebhookEventDraft => ({
  type: 'incident.opened',
  data: incidentData(incident, incident.openedBy),
});

const SINGLE_ROLES = ['commander', 'communications', 'scribe'] as const;

/**
 * The events a change of the incident produced, in this order: the status moved
 * (`incident.status_changed`, then `incident.acknowledged`, `incident.resolved` or
 * `incident.closed` for those milestones), the severity changed, roles were assigned.
 */
export function incidentChanges(before: IncidentView, incident: IncidentSnapshot, actor: string): WebhookEventDraft[] {
  const after = incidentView(incident);
  const events: WebhookEventDraft[] = [];
  const base = () => incidentData(incident, actor);
  if (after.status !== before.status) {
    events.push({ type: 'incident.status_changed', data: { ...base(), change: { from: before.status, to: after.status } } });
  }
  if (after.acknowledged && !before.acknowledged) events.push({ type: 'incident.acknowledged', data: base() });
  if (after.status !== before.status && after.status === 'resolved') events.push({ type: 'incident.resolved', data: base() });
  if (after.status !== before.status && after.status === 'closed') events.push({ type: 'incident.closed', data: base() });
  if (after.severity !== before.severity) {
    events.push({ type: 'incident.severity_changed', data: { ...base(), change: { from: before.severity, to: after.severity } } });
  }
  for (const name of SINGLE_ROLES) {
    const assignee = after.roles[name];
    const previous = before.roles[name];
    if (assignee && assignee !== previous) {
      events.push({ type: 'incident.role_assigned', data: { ...base(), role: { name, assignee: text(assignee), ...(previous ? { previous: text(previous) } : {}) } } });
    }
  }
  const known = new Set(before.roles.investigators);
  for (const investigator of after.roles.investigators) {
    if (!known.has(investigator)) events.push({ type: 'incident.role_assigned', data: { ...base(), role: { name: 'investigator', assignee: text(investigator) } } });
  }
  return events;
}

// ---- runbook executions ---------------------------------------------------------------

/** What of an execution its events follow: what was reported already. */
export interface ExecutionView {
  status: ExecutionSnapshot['status'];
  /** Ids of the completed steps reported. */
  steps: Set<string>;
  approvals: number;
  /** The approval pending when last looked. */
  pending?: { requestedAt: string; prompt: string };
  ended: boolean;
}

export const newExecutionView = (execution: ExecutionSnapshot): ExecutionView => ({ status: execution.status, steps: new Set(), approvals: 0, ended: false });

/** A cheap fingerprint of what {@link executionChanges} looks at: a change of it means events may be due. */
export function executionMark(execution: ExecutionSnapshot): string {
  const completed = execution.steps.reduce((count, step) => count + (step.status === 'completed' ? 1 : 0), 0);
  return `${execution.status}|${completed}|${execution.approvals.length}|${execution.pendingApproval?.requestedAt ?? ''}`;
}

const ENDED: Partial<Record<ExecutionSnapshot['status'], 'execution.completed' | 'execution.failed'>> = {
  completed: 'execution.completed',
  joined: 'execution.completed',
  'over-budget': 'execution.completed',
  failed: 'execution.failed',
  cancelled: 'execution.failed',
};

function executionData(execution: ExecutionSnapshot, actor: string): ExecutionEventData {
  return {
    execution: {
      id: execution.id,
      runbookId: execution.runbookId,
      title: text(execution.title),
      status: execution.status,
      ...(execution.incidentId ? { incidentId: execution.incidentId } : {}),
      trigger: execution.trigger,
      launchedBy: text(execution.launchedBy),
    },
    actor: text(actor),
  };
}

export const executionStarted = (execution: ExecutionSnapshot): WebhookEventDraft => ({
  type: 'execution.started',
  data: executionData(execution, execution.launchedBy),
});

/**
 * The events an execution's progress produced since `view` (which it updates), in this
 * order: steps completed, an approval decided (or timed out), one requested, the run ended.
 */
export function executionChanges(view: ExecutionView, execution: ExecutionSnapshot): WebhookEventDraft[] {
  const events: WebhookEventDraft[] = [];
  const actor = `runbook:${execution.runbookId}`;
  for (const step of execution.steps) {
    if (step.status !== 'completed' || view.steps.has(step.id)) continue;
    view.steps.add(step.id);
    const reported = { id: step.id, name: text(step.name), ...(step.compensates ? { compensates: step.compensates } : {}) };
    events.push({ type: 'execution.step_completed', data: { ...executionData(execution, actor), step: reported } });
  }
  for (const made of execution.approvals.slice(view.approvals)) {
    const approval = { prompt: text(made.prompt), outcome: made.approved ? ('approved' as const) : ('rejected' as const), by: text(made.by), ...(made.comment ? { comment: text(made.comment) } : {}) };
    events.push({ type: 'approval.decided', data: { ...executionData(execution, made.by), approval } });
  }
  const pending = execution.pendingApproval;
  const left = view.pending && pending?.requestedAt !== view.pending.requestedAt;
  if (left && execution.approvals.length === view.approvals) {
    // The approval left without a decision: it timed out, or the run ended while it waited.
    const outcome: ApprovalOutcome = ENDED[execution.status] ? 'cancelled' : 'timed-out';
    events.push({ type: 'approval.decided', data: { ...executionData(execution, 'firebreak'), approval: { prompt: view.pending!.prompt, outcome } } });
  }
  view.approvals = execution.approvals.length;
  if (pending && pending.requestedAt !== view.pending?.requestedAt) {
    const approval = { prompt: text(pending.prompt), approvers: [...pending.approvers], expiresAt: pending.expiresAt };
    events.push({ type: 'approval.requested', data: { ...executionData(execution, actor), approval } });
  }
  view.pending = pending ? { requestedAt: pending.requestedAt, prompt: text(pending.prompt) } : undefined;
  const ended = ENDED[execution.status];
  if (ended && !view.ended) {
    view.ended = true;
    const error = execution.outcome?.error;
    events.push({ type: ended, data: { ...executionData(execution, actor), ...(error ? { error: truncateText(error, WEBHOOK_EVENT_LIMITS.errorBytes) } : {}) } });
  }
  view.status = execution.status;
  return events;
}

// ---- bodies ---------------------------------------------------------------------------

/** Where a person (the console) and a program (the API) find what an event is about. */
export function eventLinks(data: WebhookEventData, publicUrl: string): { console: string; api: string } {
  const base = publicUrl.replace(/\/+$/, '');
  if ('incident' in data) {
    const id = encodeURIComponent(data.incident.id);
    return { console: `${base}/incidents/${id}`, api: `${base}/v1/incidents/${id}` };
  }
  const id = encodeURIComponent(data.execution.id);
  return { console: `${base}/executions/${id}`, api: `${base}/v1/executions/${id}` };
}

/**
 * The body of every delivery of `event`, as sent and signed: the Standard Webhooks envelope,
 * minified, with links into Firebreak added to `data`.
 */
export function webhookBody(event: WebhookEvent, publicUrl: string): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: { ...event.data, links: eventLinks(event.data, publicUrl) } });
}
