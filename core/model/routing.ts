import type { Alert } from './alert';
import type { AlertTemplates } from './alert-templates';
import { DEFAULT_SEVERITY, type Severity } from './incident-model';
import { matchesLabels } from './label-matchers';
import { ownValue } from './own';
import type { EscalationPolicy, OperatorConfig } from '../schemas/operator-config';
import { priorityFor, type Impact, type Priority, type Urgency } from './priority';

/** How an incident behaves, fixed when it opens (later route edits apply to new incidents). */
export interface IncidentPolicy {
  route: string;
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  escalation?: EscalationPolicy;
  runbooks: string[];
  autoMitigate: boolean;
  /** What a recovered heartbeat does to the incident it declared. */
  onRecovery?: 'mitigate' | 'resolve' | 'record';
}

export interface RouteDecision {
  service?: string;
  severity: Severity;
  dedupBy: 'group' | 'alert';
  policy: IncidentPolicy;
  /** The route's title and description templates (functions: they stay in the API, out of the policy). */
  templates: AlertTemplates;
}

/** The first route whose matchers all hold decides; the default route catches the rest. */
export function routeAlert(alert: Alert, config: OperatorConfig): RouteDecision {
  const route = config.routes.find((candidate) => matchesLabels(candidate.match, alert));
  const actions = route ?? config.defaultRoute;
  // Own properties only: a `severity` label of `constructor` must not find Object's.
  const labelSeverity = ownValue(alert.labels, 'severity');
  const severity =
    actions.severity ??
    (labelSeverity !== undefined ? ownValue(actions.severityMap, labelSeverity) : undefined) ??
    alert.severity ??
    DEFAULT_SEVERITY;
  return {
    service: actions.service ?? alert.service,
    severity,
    dedupBy: actions.dedupBy,
    policy: policyFor(route?.name ?? 'default', actions, config),
    templates: { title: actions.title, description: actions.description },
  };
}

/** The policy for an incident declared by hand or by a heartbeat, from the route fields it names. */
export function policyFor(
  routeName: string,
  actions: { impact: Impact; urgency: Urgency; escalationPolicy?: string; runbooks: string[]; autoMitigate: boolean },
  config: OperatorConfig,
): IncidentPolicy {
  return {
    route: routeName,
    impact: actions.impact,
    urgency: actions.urgency,
    priority: priorityFor(actions.impact, actions.urgency, config.priorityMatrix),
    escalation: actions.escalationPolicy ? config.escalationPolicies.get(actions.escalationPolicy) : undefined,
    runbooks: actions.runbooks,
    autoMitigate: actions.autoMitigate,
  };
}
