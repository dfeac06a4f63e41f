import { z } from 'zod';
import type { Alert } from './alert';
import { defineRunbook, type RunbookDefinition } from './runbook';
import { alertLaunchOptions, launchesForAlert } from './runbook-launches';
import { loadOperatorConfig } from '../schemas/operator-config';
import rollback from '../../runbooks/rollback-bad-deploy.runbook';
import scaleOut from '../../runbooks/scale-out-on-high-cpu.runbook';

const alert = (labels: Record<string, string>, service?: string): Alert => ({
  source: 'alertmanager',
  status: 'firing',
  summary: 's',
  dedupKey: 'k',
  labels,
  annotations: {},
  ...(service !== undefined ? { service } : {}),
});

const operator = loadOperatorConfig({
  routes: { file: 'routes', value: { routes: [{ name: 'auto', match: { team: 'sre' }, autoRemediate: true }], default: {} } },
  escalationPolicies: { file: 'policies', value: {} },
  heartbeats: { file: 'heartbeats', value: [] },
  services: {
    file: 'runbooks/services.ts',
    value: {
      checkout: { repository: 'acme/checkout', ecs: { cluster: 'prod', service: 'checkout-web' } },
      search: { octopus: { project: 'Search' } },
    },
  },
});

const lookup = defineRunbook({
  id: 'lookup',
  title: 'Lookup',
  description: 'Reads only.',
  input: z.object({ service: z.string() }),
  fromAlert: (given) => ({ service: given.labels.service ?? 'unknown' }),
  triggers: [{ match: { remediation: 'rollback' } }],
  async run() {},
});
const catalog = new Map<string, RunbookDefinition>([
  [rollback.id, rollback as unknown as RunbookDefinition],
  [scaleOut.id, scaleOut as unknown as RunbookDefinition],
  [lookup.id, lookup as unknown as RunbookDefinition],
]);

describe('runbook launches decided from an alert', () => {
  const options = alertLaunchOptions(operator, 'default', 'alertmanager');

  it('rolls back the services map\'s repository, not the one an alert label names, and waits for approval', () => {
    const launches = launchesForAlert(alert({ remediation: 'rollback', repository: 'acme/payments', cluster: 'other' }, 'checkout'), [], catalog, options);
    expect(launches.find((launch) => launch.runbookId === rollback.id)).toEqual({
      runbookId: rollback.id,
      input: expect.objectContaining({ service: 'checkout', scope: 'acme/checkout', environment: 'production', requireApproval: true, requireStatusChecks: true }),
      everyAlert: undefined,
      triggeredBy: 'alertmanager',
    });
  });

  it('refuses a destructive runbook for a service missing from the map, or an alert naming none, and starts the others', () => {
    const launches = launchesForAlert(alert({ remediation: 'rollback', repository: 'acme/checkout', service: 'checkout' }, 'payments'), [], catalog, options);
    expect(launches).toEqual([
      {
        runbookId: rollback.id,
        input: null,
        refused: 'service "payments" is not listed in runbooks/services.ts, so a destructive runbook may not act on it',
        triggeredBy: 'alertmanager',
      },
      { runbookId: 'lookup', input: { service: 'checkout' }, everyAlert: undefined, triggeredBy: 'alertmanager' },
    ]);
    const unnamed = launchesForAlert(alert({ remediation: 'rollback' }), [], catalog, options);
    expect(unnamed[0].refused).toBe('the alert names no service, and a destructive runbook acts only on a service listed in runbooks/services.ts');
    // No services given at all: nothing destructive starts.
    expect(launchesForAlert(alert({ remediation: 'rollback' }, 'checkout'), [], catalog)[0].refused).toMatch(/not listed in runbooks\/services\.ts/);
  });

  it('refuses, with the runbook\'s reason, a service whose entry lacks what the runbook acts on', () => {
    const launches = launchesForAlert(alert({ alertname: 'HighCPU' }, 'search'), [], catalog, options);
    expect(launches).toEqual([
      { runbookId: scaleOut.id, input: null, refused: 'service "search" names no ecs service in runbooks/services.ts', triggeredBy: 'alertmanager' },
    ]);
  });

  it('lets a route opt its destructive runbooks out of approval, by name', () => {
    expect(alertLaunchOptions(operator, 'auto', 'am')).toEqual({ services: operator.services, autoRemediate: true, receivedBy: 'am' });
    expect(alertLaunchOptions(operator, 'no-such-route', 'am').autoRemediate).toBe(false);
    const launches = launchesForAlert(alert({ alertname: 'HighCPU' }, 'checkout'), [], catalog, alertLaunchOptions(operator, 'auto', 'am'));
    expect(launches[0]).toMatchObject({ runbookId: scaleOut.id, input: { cluster: 'prod', service: 'checkout-web', requireApproval: false }, triggeredBy: 'am' });
  });

  it('keeps the old shape for runbooks a route lists without a fromAlert', () => {
    const bare = { ...lookup, id: 'bare', fromAlert: undefined, triggers: undefined } as unknown as RunbookDefinition;
    expect(launchesForAlert(alert({}), ['bare'], new Map([['bare', bare]]))).toEqual([
      { runbookId: 'bare', input: null, refused: 'it has no fromAlert to build its input from an alert' },
    ]);
  });
});
