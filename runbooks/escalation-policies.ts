import { defineEscalationPolicies } from '../core/schemas/operator-config';

/**
 * Escalation policies: ordered levels, each paging its targets and waiting `timeoutSeconds`
 * (default 300) for an acknowledgement before the next level; `repeat` runs the ladder again.
 * A target is `user:<id>` (runbooks/responders.ts), `schedule:<id>` (whoever is on call in
 * runbooks/schedules.ts when the level is paged), `pagerduty:<service>`, or a plain name
 * for the paging provider. `notify: 'round-robin'` reaches one of the level's people per
 * round instead of all of them. When the paging provider refuses a level's page for good,
 * the incident raises an alarm on its timeline and pages `fallback` (default: that level's
 * targets) through the built-in pager, then keeps escalating.
 */
export default defineEscalationPolicies({
  'primary-on-call': {
    levels: [
      { targets: ['schedule:primary'], timeoutSeconds: 300 },
      { targets: ['schedule:secondary'], timeoutSeconds: 300 },
      { targets: ['user:lee'], timeoutSeconds: 600 },
    ],
    repeat: 1,
    fallback: ['schedule:primary', 'schedule:secondary'],
  },
});
