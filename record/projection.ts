/**
 * What the incident and runbook workflows send to the record, and how to build it from their
 * snapshots. Pure and free of I/O, so workflow code may import it: a write carries the
 * incident's fields and only the timeline entries after the last write, numbered as the
 * incident numbers them (`timelineStart + index`), so a retried, replayed or late write
 * never duplicates or reorders anything.
 */
import type { ExecutionSnapshot } from '../core/model/execution';
import type { IncidentSnapshot } from '../core/model/incident';
import type { TimelineEntry } from '../core/model/incident-model';

/** The incident's own fields, as the record keeps them (no alerts, escalation or window). */
export interface RecordedIncidentFields {
  id: string;
  title: string;
  summary?: string;
  status: IncidentSnapshot['status'];
  severity: IncidentSnapshot['severity'];
  priority?: string;
  service?: string;
  /** The route that decided the incident's policy. */
  route?: string;
  dedupKey?: string;
  openedAt: string;
  openedBy: string;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  commander?: string;
  alertCount: number;
}

/** A timeline entry with its number in the incident's whole timeline. */
export interface RecordedTimelineEntry extends TimelineEntry {
  seq: number;
}

/** One write of an incident to the record (the `recordIncident` activity's input). */
export interface RecordIncidentInput {
  incident: RecordedIncidentFields;
  /** Entries not written yet, each with its number; may be empty. */
  entries: RecordedTimelineEntry[];
  /**
   * The number of the incident's newest timeline entry (-1 before the first): the record's
   * incident row takes a write's fields only when this is newer than the row's.
   */
  lastSeq: number;
  /** The postmortem, when it changed since the last write (absent: unchanged). */
  postmortem?: string;
}

/** One write of a runbook execution to the record (the `recordExecution` activity's input). */
export interface RecordExecutionInput {
  execution: {
    id: string;
    runbookId: string;
    incidentId?: string;
    status: ExecutionSnapshot['status'];
    dryRun: boolean;
    trigger: ExecutionSnapshot['trigger'];
    launchedBy: string;
    startedAt: string;
    endedAt?: string;
    /** Approvals asked for, and the seconds spent waiting for their answers. */
    approvals: number;
    approvalWaitSeconds: number;
    /** Compensations run (steps undone). */
    compensations: number;
    steps: number;
    error?: string;
  };
  /**
   * Grows with every change the workflow makes (its history length, `workflowInfo().historyLength`,
   * does): the record keeps the write with the highest.
   */
  revision: number;
}

/**
 * The record's activities as workflows call them (activities/platform/record.ts implements
 * them): the contract lives here so workflow code, which imports no activity code, can type
 * its proxy.
 */
export interface RecordActivities {
  /** Writes an incident's fields and its timeline entries since the last write. */
  recordIncident(input: RecordIncidentInput): Promise<void>;
  /** Writes a runbook execution's current state. */
  recordExecution(input: RecordExecutionInput): Promise<void>;
}

/** Entries the record keeps at most per write: a projection far behind catches up over several. */
export const RECORD_MAX_ENTRIES_PER_WRITE = 500;

/** The number of the incident's entry after its newest: where the next write starts. */
export function nextTimelineSeq(snapshot: Pick<IncidentSnapshot, 'timeline' | 'timelineStart'>): number {
  return (snapshot.timelineStart ?? 0) + snapshot.timeline.length;
}

/**
 * The write that brings the record up to `snapshot`, given the number of the first entry
 * not written yet (`from`, 0 at first). Entries that left the timeline window before they
 * were written are gone (the record shows the gap in its numbers). `postmortemChanged` says
 * whether to carry the postmortem (the caller remembers what it sent).
 */
export function incidentRecordInput(snapshot: IncidentSnapshot, from: number, postmortemChanged = false): RecordIncidentInput {
  const start = snapshot.timelineStart ?? 0;
  const first = Math.max(from, start);
  const entries = snapshot.timeline
    .slice(first - start, first - start + RECORD_MAX_ENTRIES_PER_WRITE)
    .map((entry, index) => ({ ...entry, seq: first + index }));
  const lastSeq = entries.length > 0 ? entries[entries.length - 1].seq : Math.min(from, nextTimelineSeq(snapshot)) - 1;
  return {
    incident: {
      id: snapshot.id,
      title: snapshot.title,
      summary: snapshot.summary,
      status: snapshot.status,
      severity: snapshot.severity,
      priority: snapshot.priority,
      service: snapshot.service,
      route: snapshot.policy?.route,
      dedupKey: snapshot.dedupKey,
      openedAt: snapshot.openedAt,
      openedBy: snapshot.openedBy,
      acknowledgedAt: snapshot.acknowledgedAt,
      mitigatedAt: snapshot.mitigatedAt,
      resolvedAt: snapshot.resolvedAt,
      closedAt: snapshot.closedAt,
      commander: snapshot.roles.commander,
      alertCount: snapshot.alertCount,
    },
    entries,
    lastSeq,
    ...(postmortemChanged && snapshot.postmortem !== undefined ? { postmortem: snapshot.postmortem } : {}),
  };
}

const APPROVAL_REQUESTED = 'waiting for approval';

/** The write that brings the record up to a runbook execution's `snapshot`. */
export function executionRecordInput(snapshot: ExecutionSnapshot, revision: number): RecordExecutionInput {
  // An approval's wait runs from its request to the next line of the log (the answer or the timeout).
  let approvals = 0;
  let waitMs = 0;
  snapshot.log.forEach((line, index) => {
    if (!line.message.startsWith(APPROVAL_REQUESTED)) return;
    approvals += 1;
    const answered = snapshot.log[index + 1]?.at ?? (snapshot.pendingApproval ? undefined : snapshot.endedAt);
    if (answered) waitMs += Math.max(0, Date.parse(answered) - Date.parse(line.at));
  });
  return {
    execution: {
      id: snapshot.id,
      runbookId: snapshot.runbookId,
      incidentId: snapshot.incidentId,
      status: snapshot.status,
      dryRun: snapshot.dryRun,
      trigger: snapshot.trigger,
      launchedBy: snapshot.launchedBy,
      startedAt: snapshot.startedAt,
      endedAt: snapshot.endedAt,
      approvals,
      approvalWaitSeconds: waitMs / 1000,
      compensations: snapshot.outcome?.undone.length ?? snapshot.steps.filter((step) => step.compensates !== undefined).length,
      steps: snapshot.steps.length,
      error: snapshot.outcome?.error,
    },
    revision,
  };
}
