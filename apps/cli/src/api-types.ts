/**
 * The parts of the API's answers the CLI reads (docs/api.md). Written out here rather than
 * imported: the CLI depends on the public contract only, never on the server's code.
 */

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: string;
  summary: string;
  details?: Record<string, unknown>;
}

export interface IncidentSummary {
  id: string;
  title?: string;
  status?: string;
  severity?: string;
  service?: string;
  commander?: string;
  openedAt: string;
  running: boolean;
}

export interface IncidentPage {
  incidents: IncidentSummary[];
  nextPageToken: string | null;
}

export interface Incident {
  id: string;
  title: string;
  summary?: string;
  status: string;
  severity: string;
  priority?: string;
  service?: string;
  openedAt: string;
  openedBy: string;
  acknowledgedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  roles: { commander?: string; communications?: string; scribe?: string; investigators: string[] };
  alertCount: number;
  firingAlerts: number;
  /** The newest alerts, oldest first. */
  alerts: Array<{ summary: string; status: string; externalUrl?: string; links?: Array<{ kind: string; url: string; text?: string }> }>;
  actionItems: Array<{ id: number; title: string; owner?: string; ticket?: { key: string; url: string } }>;
  escalation: { policy?: string; state: string; level: number };
  statusPage?: { statusIncidentId: string; url?: string; status?: string };
  runbooks: Array<{ runbookId: string; executionId: string; startedAt: string; trigger: string }>;
  timeline: TimelineEntry[];
  timelineStart?: number;
}

export interface IncidentActionResult {
  incidentId: string;
  status: string;
  severity: string;
}

export interface AlertAccepted {
  incidentId: string | null;
  status: string;
  receiptId: string;
  reason?: string;
}

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

export interface Runbook {
  id: string;
  title: string;
  description: string;
  version: number;
  inputSchema: JsonSchema;
  triggers: Array<{ match: Record<string, string>; everyAlert: boolean }>;
  guardrails: { singleFlight: boolean; budget: { max: number; windowMinutes: number } | null } | null;
}

export interface Step {
  id: string;
  name: string;
  args: unknown;
  status: string;
  compensates?: string;
  startedAt: string;
  endedAt?: string;
  result?: unknown;
  error?: string;
  attempts?: number;
}

export interface Execution {
  id: string;
  runbookId: string;
  runbookVersion: number;
  title: string;
  status: string;
  dryRun: boolean;
  incidentId?: string;
  launchedBy: string;
  trigger: string;
  input: unknown;
  startedAt: string;
  endedAt?: string;
  currentStep?: string;
  steps: Step[];
  pendingApproval?: { prompt: string; approvers: string[]; requestedAt: string; expiresAt: string };
  approvals: Array<{ approved: boolean; by: string; comment?: string; prompt: string }>;
  outcome?: { status: string; result?: unknown; error?: string; undone: string[]; joined?: string };
  plan?: Array<{ step: string; action: string; args: unknown }>;
}

/** An execution as `GET /v1/executions` lists it. */
export interface ExecutionSummary {
  id: string;
  runbookId: string;
  title: string;
  status: string;
  dryRun?: boolean;
  incidentId?: string;
  launchedBy?: string;
  startedAt: string;
  endedAt?: string;
  pendingApproval: Execution['pendingApproval'] | null;
}

export interface ExecutionPage {
  executions: ExecutionSummary[];
  nextCursor: string | null;
}

/** Statuses after which an execution changes no more. */
export const FINISHED_EXECUTION_STATUSES = ['completed', 'failed', 'cancelled', 'joined', 'over-budget'];

export interface Shift {
  responder: { id: string; name: string };
  from: string;
  to: string;
  source: { kind: string; layer?: string; overrideId?: string };
}

export interface OnCall {
  at: string;
  oncall: Array<{ schedule: { id: string; name: string }; shift: Shift | null }>;
}

export interface ScheduleList {
  schedules: Array<{ id: string; name: string; timeZone: string; layers: Array<{ name: string; responders: string[] }> }>;
}

export interface Override {
  id: string;
  responder: string;
  from: string;
  to: string;
  createdBy: string;
  createdAt: string;
  reason?: string;
}
