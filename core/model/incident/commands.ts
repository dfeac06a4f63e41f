/**
 * The incident's commands: which are allowed now, and what each one does to the snapshot.
 * Pure and zod-free (the workflow checks a command's shape with the zod schema first).
 */
import type { IncidentSnapshot } from '../incident';
import type { IncidentAction, IncidentCommand, IncidentRole } from '../../schemas/incident-actions';
import { IncidentStatus } from '../incident-model';
import { INCIDENT_LIMITS } from './bounds';
import type { Effect } from './effects';
import { escalateByHand } from './escalation';
import { moveStatus, LIFECYCLE_VERB, TARGET_STATUS } from './status';
import { checkTransition, isOpen, REOPENED_STATUS } from './state-machine';

const isLifecycle = (name: string): name is keyof typeof TARGET_STATUS => Object.hasOwn(TARGET_STATUS, name);

/** Why `action` is not allowed now, or undefined when it is. */
export function refuse(incident: IncidentSnapshot, action: IncidentAction): string | undefined {
  if (isLifecycle(action.action)) {
    const check = checkTransition(incident.status, TARGET_STATUS[action.action]);
    return check.allowed ? undefined : check.reason;
  }
  if (action.action === 'reopen') {
    const check = checkTransition(incident.status, REOPENED_STATUS, true);
    return check.allowed ? undefined : check.reason;
  }
  if (incident.status === IncidentStatus.Closed) return 'the incident is closed';
  switch (action.action) {
    case 'escalate':
      if (!isOpen(incident.status)) return `the incident is ${incident.status}`;
      if (!incident.policy?.escalation) return 'the incident has no escalation policy';
      return undefined;
    case 'set-severity':
      return action.severity === incident.severity ? `the severity is already ${action.severity}` : undefined;
    case 'assign-role':
      return refuseRole(incident, action);
    case 'add-action-item':
      return incident.actionItems.length >= INCIDENT_LIMITS.actionItems
        ? `the incident has ${INCIDENT_LIMITS.actionItems} action items, the most it holds`
        : undefined;
    default:
      return undefined;
  }
}

function refuseRole(incident: IncidentSnapshot, action: Extract<IncidentAction, { action: 'assign-role' }>): string | undefined {
  const investigators = incident.roles.investigators;
  if (action.remove && action.role !== 'investigator') return 'only investigators are removed; assign another person instead';
  if (action.remove && !investigators.includes(action.assignee)) return `${action.assignee} is not an investigator`;
  if (
    !action.remove &&
    action.role === 'investigator' &&
    !investigators.includes(action.assignee) &&
    investigators.length >= INCIDENT_LIMITS.investigators
  ) {
    return `the incident has ${INCIDENT_LIMITS.investigators} investigators, the most it holds; remove one first`;
  }
  return undefined;
}

const ROLE_TITLE = {
  commander: 'the incident commander',
  communications: 'the communications lead',
  scribe: 'the scribe',
  investigator: 'an investigator',
} as const satisfies Record<IncidentRole, string>;

/**
 * Applies an allowed command (checked with {@link refuse}) to the snapshot, and says what
 * must happen outside it, in order. `now` is the command's time (ISO-8601).
 */
export function apply(incident: IncidentSnapshot, { actor, action }: IncidentCommand, now: string): Effect[] {
  const record = (kind: 'note' | 'role' | 'severity', summary: string): Effect[] => [{ kind: 'record', entry: { kind, actor, summary } }];
  switch (action.action) {
    case 'acknowledge':
    case 'investigate':
    case 'mitigate':
    case 'resolve':
    case 'close': {
      const verb = LIFECYCLE_VERB[action.action];
      return moveStatus(incident, TARGET_STATUS[action.action], actor, action.note ? `${verb} (${action.note})` : verb, now);
    }
    case 'reopen':
      incident.resolvedAt = undefined;
      incident.metrics.timeToResolveSeconds = undefined;
      return moveStatus(incident, REOPENED_STATUS, actor, `Reopened: ${action.reason}`, now);
    case 'escalate':
      return escalateByHand(incident, actor, action.reason);
    case 'set-severity': {
      const effects = record('severity', `Severity ${incident.severity} → ${action.severity}${action.reason ? `: ${action.reason}` : ''}`);
      incident.severity = action.severity;
      return effects;
    }
    case 'assign-role': {
      const { role, assignee } = action;
      if (role !== 'investigator') incident.roles[role] = assignee;
      else if (action.remove) incident.roles.investigators = incident.roles.investigators.filter((name) => name !== assignee);
      else if (!incident.roles.investigators.includes(assignee)) incident.roles.investigators.push(assignee);
      return record('role', action.remove ? `${assignee} is no longer an investigator` : `${assignee} is ${ROLE_TITLE[role]}`);
    }
    case 'add-note':
      return record('note', action.text);
    case 'add-action-item': {
      const id = incident.actionItems.length + 1;
      incident.actionItems.push({ id, title: action.title, owner: action.owner, addedBy: actor });
      return record('note', `Action item ${id}: ${action.title}${action.owner ? ` (owner: ${action.owner})` : ''}`);
    }
    case 'post-status-update':
      return [{ kind: 'post-status-update', update: action, actor }];
  }
}
