import { defineServices } from '../core/schemas/services-config';

/**
 * What remediations may touch, per service. An alert names a service (its `service` field,
 * or the route's); a destructive runbook it starts acts on what this file says that service
 * is, never on the alert's labels, and is not started for a service missing here (the
 * incident's timeline says so). Budgets count per resolved target, e.g. per repository and
 * environment.
 *
 * Each service may name: `repository` (GitHub "owner/repo"), `ecs: { cluster, service }`,
 * `octopus: { project }`, `kubernetes: { namespace, deployment }`, the `environments` a
 * rollback may deploy to (default ['production'], the first is the default), and
 * `requireStatusChecks: false` to let GitHub deployments skip the repository's required
 * status checks (they are kept by default).
 */
export default defineServices({
  checkout: {
    repository: 'acme/checkout',
    ecs: { cluster: 'prod', service: 'checkout' },
    octopus: { project: 'Checkout' },
    kubernetes: { namespace: 'shop', deployment: 'checkout' },
    environments: ['production'],
  },
});
