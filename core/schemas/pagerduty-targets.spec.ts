import { testOperatorConfig } from '../../test/operator';
import { checkPagerDutyTargets, loadIntegrationsConfig } from './integrations-config';

describe('pagerduty:<service> targets at start-up', () => {
  const policies = testOperatorConfig({
    escalation: { levels: [{ targets: ['pagerduty:payments'], timeoutSeconds: 60 }, { targets: ['pagerduty:billing', 'ops-lead'], timeoutSeconds: 60 }] },
  }).escalationPolicies;

  it('stops start-up naming the policy field of a service with no key, and of a plain target with no default key', () => {
    const paging = loadIntegrationsConfig({ PAGING_PROVIDER: 'pagerduty', PAGERDUTY_SERVICE_KEYS: 'payments=KEY-PAYMENTS' }).paging;
    expect(() => checkPagerDutyTargets(policies, paging)).toThrow(
      [
        'runbooks/escalation-policies.ts: test-ladder.levels.1.targets.0: PagerDuty service "billing" has no routing key in PAGERDUTY_SERVICE_KEYS',
        'runbooks/escalation-policies.ts: test-ladder.levels.1.targets.1: "ops-lead" pages PagerDuty\'s default key, and PAGERDUTY_ROUTING_KEY is unset',
      ].join('\n  - '),
    );
  });

  it('passes when every service has its key, and with the local pager whatever the targets', () => {
    const paging = loadIntegrationsConfig({ PAGING_PROVIDER: 'pagerduty', PAGERDUTY_ROUTING_KEY: 'DEFAULT', PAGERDUTY_SERVICE_KEYS: 'payments=K1, billing=K2' }).paging;
    expect(() => checkPagerDutyTargets(policies, paging)).not.toThrow();
    expect(() => checkPagerDutyTargets(policies, loadIntegrationsConfig({}).paging)).not.toThrow();
  });

  it('needs one of the two keys, and never shows them in an error', () => {
    expect(() => loadIntegrationsConfig({ PAGING_PROVIDER: 'pagerduty' })).toThrow(/PAGERDUTY_ROUTING_KEY: required when PAGING_PROVIDER=pagerduty, unless PAGERDUTY_SERVICE_KEYS/);
    let message = '';
    try {
      loadIntegrationsConfig({ PAGING_PROVIDER: 'pagerduty', PAGERDUTY_SERVICE_KEYS: 'Payments=SECRETKEY1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PAGERDUTY_SERVICE_KEYS: must be comma-separated service=routing-key pairs/);
    expect(message).not.toContain('SECRETKEY1');
  });
});
