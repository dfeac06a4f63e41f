import { defineRoutes } from '../core/schemas/operator-config';

/**
 * Alert routes: the first route whose `match` holds decides the incident's service,
 * severity, priority (impact × urgency), escalation policy and runbooks. `default` catches
 * the rest. Matchers compare alert labels (and `source`) to a string or a RegExp.
 */
export default defineRoutes({
  routes: [
    {
      name: 'customer-facing-critical',
      match: { severity: /^(critical|page|sev[01])$/i },
      impact: 'high',
      urgency: 'high',
      escalationPolicy: 'primary-on-call',
    },
    {
      name: 'warnings',
      match: { severity: /^(warning|ticket)$/i },
      impact: 'low',
      urgency: 'medium',
      autoMitigate: true,
    },
  ],
  default: { impact: 'medium', urgency: 'medium', escalationPolicy: 'primary-on-call', autoMitigate: true },
});
