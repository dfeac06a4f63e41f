/**
 * A runbook on a custom capability (runbooks/capabilities/feature-flags.ts): with the test
 * kit, and on the real worker against a local Unleash. Over the API: flag-kill-switch-api.spec.ts.
 */
import { Client, Connection } from '@temporalio/client';
import { testRunbook } from '../../core/model/runbook-testing';
import { sharedTemporalAddress } from '../temporal';
import { flagKey, startUnleashStub, unleashSettings } from '../vendors/unleash';
import { quietTemporalRuntime } from '../vendors/temporal-worker';
import killSwitch from './flag-kill-switch.runbook';
import { runOnRealWorker, stepsOf } from './real-adapters';

const on = (flag: string) => ({ flag, environment: 'production', enabled: true, provider: 'unleash' as const });

describe('flag-kill-switch with the test kit', () => {
  it('turns the flag off and plans the custom steps like built-in ones', async () => {
    const run = await testRunbook(killSwitch, {
      input: { flag: 'new-checkout' },
      incident: { firingAlerts: 0 },
      steps: {
        'featureFlags.read': ({ flag }) => on(flag),
        'featureFlags.disable': ({ flag, environment }, { idempotencyKey }) => {
          expect(idempotencyKey).toBe('test-execution/featureFlags.disable');
          return { flag, environment, enabled: false, changed: true, provider: 'unleash' };
        },
      },
    });
    expect(run.status).toBe('completed');
    expect(run.result).toEqual({ turnedOff: true });
    expect(run.steps.map((step) => [step.name, step.status])).toEqual([
      ['featureFlags.read', 'completed'],
      ['featureFlags.disable', 'completed'],
    ]);
    expect(run.steps[1].args).toEqual({ flag: 'new-checkout', environment: 'production' });
    expect(run.plan.map((step) => step.name)).toEqual(['featureFlags.read', 'featureFlags.disable', 'waitFor']);
    expect(run.plan[1].result).toEqual({ flag: 'new-checkout', environment: 'production', enabled: false, changed: false, provider: 'dry-run' });
  });

  it('turns the flag back on (its compensation) when the alerts do not clear', async () => {
    const run = await testRunbook(killSwitch, {
      input: { flag: 'new-checkout', verifyMinutes: 5 },
      incident: { firingAlerts: 2 },
      steps: { 'featureFlags.read': ({ flag }) => on(flag) },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('turning new-checkout off did not clear the alerts');
    expect(run.undone).toEqual(['featureFlags.disable']);
    expect(run.steps.map((step) => step.id)).toEqual([
      'featureFlags.read',
      'featureFlags.disable',
      'paging.page',
      'undo:featureFlags.disable:featureFlags.enable',
    ]);
  });

  it('does nothing when the flag is off already', async () => {
    const run = await testRunbook(killSwitch, {
      input: { flag: 'new-checkout' },
      steps: { 'featureFlags.read': ({ flag, environment }) => ({ flag, environment, enabled: false, provider: 'unleash' }) },
    });
    expect(run.result).toEqual({ turnedOff: false });
    expect(run.steps.map((step) => step.name)).toEqual(['featureFlags.read']);
  });

  it('fails a step whose stub returns what the implementation may not, as the worker would', async () => {
    const run = await testRunbook(killSwitch, {
      input: { flag: 'new-checkout' },
      steps: { 'featureFlags.read': ({ flag }) => ({ flag, environment: 'production', enabled: 'yes', provider: 'unleash' }) as never },
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/the stub of featureFlags\.read returned what its output schema refuses: enabled:/);
  });
});

describe('flag-kill-switch on the real worker, against a local Unleash', () => {
  let client: Client;
  let unleash: Awaited<ReturnType<typeof startUnleashStub>>;
  quietTemporalRuntime();

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => client?.connection.close());
  beforeEach(async () => {
    unleash = await startUnleashStub({ [flagKey('default', 'new-checkout', 'production')]: true });
  });
  afterEach(() => unleash.stub.stop());

  it('turns the flag off once through a failed attempt, and back on when the alerts do not clear', async () => {
    unleash.stub.fail('off', { status: 503, body: { message: 'database unavailable' } });
    const { execution } = await runOnRealWorker(client, unleashSettings(unleash.stub.url), 'flag-kill-switch', { flag: 'new-checkout', verifyMinutes: 0 });

    expect(execution.status).toBe('failed');
    expect(stepsOf(execution)).toEqual([
      ['featureFlags.read', 'completed'],
      ['featureFlags.disable', 'completed'],
      ['paging.page', 'completed'],
      ['undo:featureFlags.disable:featureFlags.enable', 'completed'],
    ]);
    expect(execution.steps[1].result).toEqual({ flag: 'new-checkout', environment: 'production', enabled: false, changed: true, provider: 'unleash' });
    expect(execution.outcome?.undone).toEqual(['featureFlags.disable']);
    // The failed attempt was retried (2 POSTs), and the flag turned off once and on once.
    expect(unleash.stub.calls('off')).toHaveLength(2);
    expect(unleash.stub.count('flag.off')).toBe(1);
    expect(unleash.stub.count('flag.on')).toBe(1);
    expect(unleash.flags.get(flagKey('default', 'new-checkout', 'production'))).toBe(true);
  });

  it('fails the run, not retrying, when Unleash knows no such flag', async () => {
    const { execution } = await runOnRealWorker(client, unleashSettings(unleash.stub.url), 'flag-kill-switch', { flag: 'no-such-flag', verifyMinutes: 0 });
    expect(execution.status).toBe('failed');
    expect(execution.outcome?.error).toMatch(/Unleash knows no flag "no-such-flag"/);
    expect(unleash.stub.calls('read')).toHaveLength(1);
  });
});
