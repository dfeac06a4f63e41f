import type { OpenIncidentInput } from '../core/model/incident';
import type { EscalationPolicy } from '../core/schemas/operator-config';

/**
 * A SEV1 incident's start as a route would decide it (high impact and urgency, P1, no
 * runbooks), paged through `escalation`: for tests that start `incidentWorkflow` themselves.
 */
export function pagedIncidentInput(incidentId: string, dedupKey: string, escalation: EscalationPolicy): OpenIncidentInput {
  return {
    incidentId,
    title: 'Checkout is down',
    severity: 'SEV1',
    dedupKey,
    openedBy: 'test',
    policy: { route: 'test', impact: 'high', urgency: 'high', priority: 'P1', runbooks: [], autoMitigate: false, escalation },
  };
}
