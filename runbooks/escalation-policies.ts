import { defineEscalationPolicies } from '../core/schemas/operator-config';

/**
 * Escalation policies: ordered levels, each paging its targets and waiting `timeoutSeconds`
 * (default 300) for an acknowledgement before the next level; `repeat` runs the ladder again.
 * When the paging provider refuses a level's page for good, the incident raises an alarm on
 * its timeline and pages `fallback` (default: that level's targets) through the built-in
 * pager, then keeps escalating.
 */
export default defineEscalationPolicies({
  'primary-on-call': {
    levels: [
      { targets: ['primary-on-call'], timeoutSeconds: 300 },
      { targets: ['secondary-on-call'], timeoutSeconds: 300 },
      { targets: ['engineering-manager'], timeoutSeconds: 600 },
    ],
    repeat: 1,
    fallback: ['primary-on-call', 'secondary-on-call'],
  },
});
