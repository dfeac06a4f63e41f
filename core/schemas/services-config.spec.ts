import { loadOperatorConfig, OperatorConfigError, type OperatorFiles } from './operator-config';
import { operatorFiles } from '../../runbooks';

const files = (services: unknown, routes: unknown = { routes: [], default: {} }): OperatorFiles => ({
  routes: { file: 'runbooks/routes.ts', value: routes },
  escalationPolicies: { file: 'runbooks/escalation-policies.ts', value: {} },
  heartbeats: { file: 'runbooks/heartbeats.ts', value: [] },
  services: { file: 'runbooks/services.ts', value: services },
});

const problems = (services: unknown): string[] => {
  try {
    loadOperatorConfig(files(services));
  } catch (error) {
    if (error instanceof OperatorConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('runbooks/services.ts', () => {
  it('loads services with their defaults: production only, status checks kept', () => {
    const { services } = loadOperatorConfig(files({ checkout: { repository: 'acme/checkout', ecs: { cluster: 'prod', service: 'checkout' } } }));
    expect(services.get('checkout')).toEqual({
      name: 'checkout',
      repository: 'acme/checkout',
      ecs: { cluster: 'prod', service: 'checkout' },
      environments: ['production'],
      requireStatusChecks: true,
    });
    expect(loadOperatorConfig(files({ cart: { octopus: { project: 'Cart' }, environments: ['staging', 'production'], requireStatusChecks: false } })).services.get('cart')).toMatchObject({
      environments: ['staging', 'production'],
      requireStatusChecks: false,
    });
  });

  it('stops start-up naming the file and field of a mistake', () => {
    expect(problems({ checkout: { repository: 'checkout' } })).toEqual(['runbooks/services.ts: checkout.repository: a GitHub repository as "owner/repo"']);
    expect(problems({ checkout: { ecs: { cluster: 'prod' } } })[0]).toMatch(/^runbooks\/services\.ts: checkout\.ecs\.service: /);
    expect(problems({ checkout: { environments: [] } })).toEqual(['runbooks/services.ts: checkout.environments: at least one environment']);
    expect(problems({ checkout: { repo: 'acme/checkout' } })[0]).toMatch(/^runbooks\/services\.ts: checkout: .*repo/);
    expect(problems({ 'Check Out': {} })[0]).toMatch(/^runbooks\/services\.ts: Check Out: /);
  });

  it('is optional (no services: no remediation starts from an alert), and the shipped file loads', () => {
    const { services: none } = loadOperatorConfig({ ...files({}), services: undefined });
    expect(none.size).toBe(0);
    expect(loadOperatorConfig(operatorFiles).services.get('checkout')).toMatchObject({ repository: 'acme/checkout' });
  });

  it('reads a route\'s autoRemediate, off by default', () => {
    const config = loadOperatorConfig(files({}, { routes: [{ name: 'auto', match: { team: 'sre' }, autoRemediate: true }], default: {} }));
    expect(config.routes[0].autoRemediate).toBe(true);
    expect(config.defaultRoute.autoRemediate).toBe(false);
  });
});
