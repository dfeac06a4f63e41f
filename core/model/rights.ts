/**
 * Who may do what: every right Firebreak checks, and the roles that hold it. The API's
 * guard reads it for every route, the incident service for every incident action, the
 * Slack handlers for every command and button, and the console to hide what a role may
 * not do. docs/rights.md is this table in prose. Pure and zod-free.
 */
import type { Role } from '../schemas/config';
import type { IncidentActionName } from '../schemas/incident-actions';
import { type Principal, rolesFrom } from './roles';

const readers = rolesFrom('viewer');
const responders = rolesFrom('responder');
const commanders = rolesFrom('commander');
const admins = rolesFrom('admin');
/** Alerting systems and people: a sender's key, or any role that acts on incidents. */
const alerting = ['sender', ...responders] as const;

interface RightEntry {
  /** The roles that hold the right. */
  readonly roles: readonly Role[];
  /** What it allows, as a refusal and the docs say it. */
  readonly what: string;
}

export const RIGHTS = {
  'alerts.send': { roles: alerting, what: 'send alerts (POST /v1/alerts and its vendor formats)' },
  'heartbeats.ping': { roles: alerting, what: 'ping a heartbeat monitor' },
  'heartbeats.read': { roles: readers, what: 'read heartbeat monitors' },
  'incidents.read': { roles: readers, what: 'read incidents, their timelines, events and postmortems' },
  'incident.declare': { roles: responders, what: 'declare an incident' },
  'incident.acknowledge': { roles: responders, what: 'acknowledge an incident' },
  'incident.investigate': { roles: responders, what: 'mark an incident as being investigated' },
  'incident.escalate': { roles: responders, what: 'escalate an incident' },
  'incident.note': { roles: responders, what: 'add notes and action items to an incident' },
  'incident.assign-role': { roles: responders, what: 'assign incident roles' },
  'incident.set-severity': { roles: responders, what: "change an incident's severity" },
  'incident.mitigate': { roles: responders, what: 'mark an incident mitigated' },
  'incident.resolve': { roles: responders, what: 'resolve an incident' },
  'incident.close': { roles: commanders, what: 'close an incident' },
  'incident.reopen': { roles: commanders, what: 'reopen an incident' },
  'incident.post-status-update': { roles: commanders, what: 'post to the public status page' },
  'runbooks.read': { roles: readers, what: 'read runbooks and executions' },
  'runbook.launch': { roles: responders, what: 'launch a runbook that is not destructive, or dry-run any runbook' },
  'runbook.launch-destructive': { roles: commanders, what: 'launch a destructive runbook for real' },
  'execution.approve': { roles: responders, what: "approve or reject a runbook's step (the runbook names the roles that may)" },
  'execution.cancel': { roles: responders, what: 'cancel an execution' },
  'oncall.read': { roles: readers, what: "read schedules, who is on call, notifications and calendar feeds" },
  'schedule.override': { roles: admins, what: "add or remove a schedule's overrides" },
  'reports.read': { roles: readers, what: 'read response and runbook reports' },
  'audit.read': { roles: admins, what: 'read and export the audit log' },
  'webhooks.manage': { roles: admins, what: 'read webhook subscriptions and deliveries, and re-drive deliveries' },
  'docs.read': { roles: readers, what: 'read the OpenAPI document and its page (unless PUBLIC_DOCS=true)' },
  'metrics.read': { roles: readers, what: 'scrape /metrics (unless PUBLIC_METRICS=true)' },
} as const satisfies Record<string, RightEntry>;

export type Right = keyof typeof RIGHTS;
export const ALL_RIGHTS = Object.keys(RIGHTS) as Right[];

/** The right each incident action needs. */
export const INCIDENT_ACTION_RIGHTS = {
  acknowledge: 'incident.acknowledge',
  investigate: 'incident.investigate',
  escalate: 'incident.escalate',
  'set-severity': 'incident.set-severity',
  'assign-role': 'incident.assign-role',
  'add-note': 'incident.note',
  'add-action-item': 'incident.note',
  'post-status-update': 'incident.post-status-update',
  mitigate: 'incident.mitigate',
  resolve: 'incident.resolve',
  close: 'incident.close',
  reopen: 'incident.reopen',
} as const satisfies Record<IncidentActionName, Right>;

/** The roles that hold `right`. */
export function rolesHolding(right: Right): readonly Role[] {
  return RIGHTS[right].roles;
}

/** Whether a principal (or a role) holds `right`. */
export function mayDo(who: Pick<Principal, 'role'> | Role, right: Right): boolean {
  const role = typeof who === 'string' ? who : who.role;
  return (RIGHTS[right].roles as readonly Role[]).includes(role);
}

/** The right an incident action needs; undefined for a name that is no action. */
export function incidentActionRight(action: string): Right | undefined {
  return Object.hasOwn(INCIDENT_ACTION_RIGHTS, action) ? INCIDENT_ACTION_RIGHTS[action as IncidentActionName] : undefined;
}

/** What says whether a runbook is destructive: its definition, or its catalog entry. */
export interface RunbookDestructiveness {
  destructive?: boolean | null;
  guardrails?: unknown;
}

/** A runbook is destructive when it is marked `destructive: true` (as rollback, restart and scale-out are). */
export function isDestructiveRunbook(runbook: RunbookDestructiveness): boolean {
  return runbook.destructive === true;
}

/** The right a launch needs: a dry run changes nothing, so only a real run of a destructive runbook needs more. */
export function runbookLaunchRight(runbook: RunbookDestructiveness, dryRun: boolean): Right {
  return !dryRun && isDestructiveRunbook(runbook) ? 'runbook.launch-destructive' : 'runbook.launch';
}

/** Why `principal` is refused `right`, naming who may. */
export function refusal(principal: Principal, right: Right): string {
  return `${RIGHTS[right].what} needs the ${right} right (${rolesHolding(right).join(', ')}); "${principal.name}" is ${principal.role}`;
}
