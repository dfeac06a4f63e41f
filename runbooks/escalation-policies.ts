import { defineEscalationPolicies } from '../core/operator-config';

/**
 * Escalation policies: ordered levels, each paging its targets and waiting `timeoutSeconds`
 * (default 300) for an acknowledgement before the next level; `repeat` runs the ladder again.
 */
export default defineEscalationPolicies({
  'primary-on-call': {
    levels: [
      { targets: ['primary-on-call'], timeoutSeconds: 300 },
      { targets: ['secondary-on-call'], timeoutSeconds: 300 },
      { targets: ['engineering-manager'], timeoutSeconds: 600 },
    ],
    repeat: 1,
  },
});
