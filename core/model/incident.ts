import type { Alert, ReceivedAlert } from './alert';
import type { NotificationRecord, PendingNotification } from './oncall/types';
import type { IncidentAction } from '../schemas/incident-actions';
import type { IncidentStatus, Severity, TimelineEntry } from './incident-model';
import type { Priority } from './priority';
import type { IncidentPolicy } from './routing';
import type { RunbookLaunch } from './runbook-launch';

/** How an incident workflow is started: from its first alert, declared by a person, or by a heartbeat. */
export interface OpenIncidentInput {
  incidentId: string;
  title: string;
  severity: Severity;
  service?: string;
  /** Alerts with this key land on this incident while it is open. */
  dedupKey?: string;
  /** The alert source, API key name or monitor that opened it. */
  openedBy: string;
  summary?: string;
  commander?: string;
  /** What the opening timeline should also say (a route template that fell back). */
  notes?: string[];
  /** Route decisions fixed at open: escalation, runbooks, auto-mitigation, priority. */
  policy?: IncidentPolicy;
  /** Runbooks to start when the incident opens (a declared incident's route runbooks). */
  runbooks?: RunbookLaunch[];
  /** History events after which the incident continues as new (same id, fresh history). */
  maxHistoryEvents?: number;
  /**
   * State size (JSON bytes) past which the incident continues as new.
   * @default INCIDENT_LIMITS.continueAtStateBytes (512 KiB)
   */
  maxStateBytes?: number;
  /** State carried across continue-as-new; absent on the first run. */
  carried?: CarriedIncidentState;
  /**
   * The start set the incident's search attributes and title ({@link listedStart}), so the
   * workflow publishes only what changes. Absent in runs started before it was.
   */
  listed?: boolean;
}

/** How to open an alert's incident if the alert is its first: everything but the id. */
/**
 * The incident workflow's signature, for code that starts it by its type name
 * (`'incidentWorkflow'`) without importing workflow code.
 */
export type IncidentWorkflow = (input: OpenIncidentInput) => Promise<IncidentSnapshot>;

export type IncidentTemplate = Omit<OpenIncidentInput, 'incidentId'>;

/** An acknowledged alert on its way to its incident, with what opens the incident if needed. */
export interface QueuedAlert {
  alert: ReceivedAlert;
  template: IncidentTemplate;
}

/**
 * Alerts the API acknowledged before their incidents recorded them (during a storm): the
 * API delivers them itself and then signals `alertQueueDelivered`. A queue held under an
 * API process's lease (`lease`, the lease workflow's id) delivers them itself once that
 * lease reports the process gone (`alertQueueRecover`), with `recoverAfterMs` as a last
 * resort; a queue without a lease, once `recoverAfterMs` passes without the signal. With
 * `recoverAfterMs` 0 the API has handed them off (it held too many): the queue delivers
 * them at once.
 */
export interface AlertQueueInput {
  alerts: QueuedAlert[];
  recoverAfterMs: number;
  lease?: string;
}

/**
 * `delivered`: the API reported delivery; `recovered`: the queue delivered the alerts
 * itself (its API process gone, or silent past `recoverAfterMs`); `handed-off`: the queue
 * delivered them at once.
 */
export type AlertQueueResult = { outcome: 'delivered' } | { outcome: 'recovered' | 'handed-off'; recorded: number; ignored: number };

/** One alert as the incident holds it. */
export interface IncidentAlert extends Alert {
  receiptId: string;
  receivedAt: string;
}

export interface IncidentRoles {
  commander?: string;
  communications?: string;
  scribe?: string;
  investigators: string[];
}

export interface ActionItem {
  id: number;
  title: string;
  owner?: string;
  addedBy: string;
  /** The ticket filed for it when the incident closed. */
  ticket?: { key: string; url: string };
}

export interface EscalationProgress {
  policy?: string;
  /** 'paging' while levels are being paged; 'stopped' once acknowledged; 'exhausted' when every level and repeat timed out. */
  state: 'idle' | 'paging' | 'stopped' | 'exhausted';
  /** 0-based index of the level paged last. */
  level: number;
  /** 0-based pass through the ladder (repeats). */
  round: number;
  /** When the current level times out, if paging. */
  nextAt?: string;
  /** The current level is due to be paged. */
  pagePending?: boolean;
  pages: number;
  /** Notifications of people waiting for their time, earliest first; emptied once acknowledged. */
  queue?: PendingNotification[];
  /** Levels paged through the paging capability, each once: acknowledge and resolve reach each of them. */
  paged?: Array<{ level: number; targets: string[] }>;
  /** People notified (the last ones, bounded), for acknowledgements from a notification. */
  notified?: Array<{ responder: string; at: string; smsAt?: string }>;
}

export interface IncidentMetrics {
  timeToAcknowledgeSeconds?: number;
  timeToMitigateSeconds?: number;
  timeToResolveSeconds?: number;
}

/** What `GET /v1/incidents/:id` returns: the incident as its workflow knows it. */
export interface IncidentSnapshot {
  id: string;
  title: string;
  summary?: string;
  status: IncidentStatus;
  severity: Severity;
  priority?: Priority;
  service?: string;
  dedupKey?: string;
  openedAt: string;
  openedBy: string;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  metrics: IncidentMetrics;
  roles: IncidentRoles;
  policy?: IncidentPolicy;
  alertCount: number;
  /** Alerts currently firing, by fingerprint (or labels when the alert has none). */
  firingAlerts: number;
  /**
   * The most recent alerts, at most 50, each with its labels and annotations cut to the
   * state limits (`STATE_ALERT_LIMITS`); `alertCount` counts them all.
   */
  alerts: IncidentAlert[];
  actionItems: ActionItem[];
  escalation: EscalationProgress;
  /**
   * The most recent notifications of people (at most {@link INCIDENT_LIMITS}' count),
   * oldest first; `notificationsDropped` counts the older ones no longer held. Absent in
   * incidents that never notified anyone.
   */
  notifications?: NotificationRecord[];
  notificationsDropped?: number;
  /**
   * The incident's one status-page incident, whoever opened it (a status update, a
   * runbook); `status` is its latest status (absent in incidents from before it was kept).
   */
  statusPage?: { statusIncidentId: string; url?: string; status?: string };
  /**
   * The incident's chat channel (a kickoff's), which Firebreak keeps current: a header
   * message showing status, severity and commander (updated in place), then the timeline
   * entries that matter, each posted once, in order.
   */
  chat?: IncidentChat;
  /** Runbook executions this incident started. */
  runbooks: Array<{ runbookId: string; executionId: string; startedAt: string; trigger: 'alert' | 'route' }>;
  /**
   * The most recent timeline entries (a window bounded in count and bytes). Entry `i` is
   * the incident's entry number `timelineStart + i`, stable for its whole life.
   */
  timeline: TimelineEntry[];
  /** Entries recorded before `timeline[0]` and no longer held; 0 (or absent, in older runs) when none were dropped. */
  timelineStart?: number;
  /** The dropped entries by kind, for the postmortem's account of what it does not show. */
  timelineDropped?: Partial<Record<TimelineEntry['kind'], number>>;
  /** Markdown, written when the incident resolves and kept current after. */
  postmortem?: string;
  /** Times the workflow has continued as new. */
  continuedAsNew: number;
}

export interface IncidentChat {
  channelId: string;
  name?: string;
  /** The header message, once posted. */
  headerTs?: string;
  /** What the header shows (status, severity, commander), to update it only on a change. */
  headerShows?: string;
  /** Timeline entries up to this number (exclusive) are posted or passed over. */
  postedThrough: number;
  /** Entries that left the timeline window before they could be posted. */
  missed?: number;
}

/** Everything a new run needs to carry on exactly where the last one stopped. */
export interface CarriedIncidentState {
  snapshot: IncidentSnapshot;
  /** The most recently seen receipt ids (long ones hashed), oldest first. */
  receipts: string[];
  /** Identities of the alerts firing (long ones hashed). */
  firing: string[];
  /** More distinct alerts fired than are tracked: `firing` undercounts, so nothing auto-mitigates. */
  firingUntracked?: boolean;
  /** Runbooks decided on but not started yet when the run continued as new. */
  launches?: Array<RunbookLaunch & { trigger: 'alert' | 'route' }>;
}

export interface IngestAlertsInput {
  alerts: ReceivedAlert[];
}

export interface IngestAlertsResult {
  incidentId: string;
  /** Alerts newly recorded by this call (a redelivered receipt is not recorded twice). */
  recorded: number;
}

export interface IncidentActionResult {
  incidentId: string;
  status: IncidentStatus;
  severity: Severity;
  /** Set once the milestone is reached; the API exports them as metrics. */
  metrics: IncidentMetrics;
  /** Milestones this command reached for the first time (each is counted once in metrics). */
  newlyReached: Array<keyof IncidentMetrics>;
}

/** A timeline entry sent by another workflow (a runbook, a heartbeat monitor). */
export interface RecordEventInput {
  entry: Omit<TimelineEntry, 'at'>;
  /** A heartbeat monitor's news about the incident it declared. */
  heartbeat?: 'recovered';
  /** A runbook opened the incident's chat channel. */
  chat?: { channelId: string; name?: string };
  /** A runbook opened or updated a status-page incident for this incident. */
  statusPage?: { statusIncidentId: string; url?: string; status: string };
}

export type { IncidentAction };

/** Failure types the incident workflow raises; callers branch on these, not on messages. */
export const IncidentFailure = {
  /** The incident no longer takes firing alerts: a new incident must open for the key. */
  NotOpen: 'IncidentNotOpen',
  /** The command is not allowed now (an invalid transition): the API answers 409. */
  Conflict: 'IncidentCommandConflict',
  /** The command is malformed: the API answers 400. */
  Invalid: 'IncidentCommandInvalid',
} as const;
export type IncidentFailure = (typeof IncidentFailure)[keyof typeof IncidentFailure];
