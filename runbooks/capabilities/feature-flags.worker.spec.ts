import { loadCustomCapabilities } from '../../activities/custom-capabilities';
import { CapabilityCatalogError } from '../../core/schemas/custom-capabilities';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import { activityEnvironment, expectFailure, expectTransientFaultsRetried } from '../../test/vendors/activity';
import { flagKey, startUnleashStub, UNLEASH_TOKEN, unleashSettings } from '../../test/vendors/unleash';
import type { StubServer } from '../../test/vendors/stub-server';
import { CAPABILITY_FILES } from '.';

/** The feature-flags activities as the worker builds them from `env`. */
const activitiesFrom = (env: Record<string, string>) => loadCustomCapabilities(CAPABILITY_FILES, env).activities;
const key = (step: string) => ({ idempotencyKey: `rbx-test/${step}` });

describe('the feature-flags capability on Unleash (a local Unleash admin API)', () => {
  let unleash: Awaited<ReturnType<typeof startUnleashStub>>;
  let stub: StubServer;
  const env = activityEnvironment();

  beforeEach(async () => {
    unleash = await startUnleashStub({ [flagKey('default', 'new-checkout', 'production')]: true, [flagKey('payments', 'fast-path', 'staging')]: false });
    stub = unleash.stub;
  });
  afterEach(() => stub.stop());

  it('reads a flag, turns it off once (with the token as Unleash takes it), and finds it off on a retry', async () => {
    const { featureFlagsRead, featureFlagsDisable } = activitiesFrom(unleashSettings(stub.url));

    expect(await env.run(featureFlagsRead, { ...key('featureFlags.read'), flag: 'new-checkout' })).toEqual({
      flag: 'new-checkout',
      environment: 'production',
      enabled: true,
      provider: 'unleash',
    });
    const off = { ...key('featureFlags.disable'), flag: 'new-checkout' };
    expect(await env.run(featureFlagsDisable, off)).toEqual({ flag: 'new-checkout', environment: 'production', enabled: false, changed: true, provider: 'unleash' });
    // The same step again (a retry after the worker died): the flag is off, nothing is posted.
    expect(await env.run(featureFlagsDisable, off)).toMatchObject({ enabled: false, changed: false });

    expect(stub.count('flag.off')).toBe(1);
    expect(stub.calls('off')).toHaveLength(1);
    const [posted] = stub.calls('off');
    expect(posted).toMatchObject({ method: 'POST', path: '/api/admin/projects/default/features/new-checkout/environments/production/off' });
    expect(posted.headers.authorization).toBe(UNLEASH_TOKEN);
    expect(unleash.flags.get(flagKey('default', 'new-checkout', 'production'))).toBe(false);
  });

  it('turns a flag on in the project and environment given, and names them in the path', async () => {
    const { featureFlagsEnable } = activitiesFrom(unleashSettings(stub.url));
    const answer = await env.run(featureFlagsEnable, { ...key('featureFlags.enable'), flag: 'fast-path', environment: 'staging', project: 'payments' });
    expect(answer).toMatchObject({ enabled: true, changed: true });
    expect(stub.calls('on').map((call) => call.path)).toEqual(['/api/admin/projects/payments/features/fast-path/environments/staging/on']);
    expect(stub.count('flag.on')).toBe(1);
  });

  it('maps a flag Unleash does not know to FlagNotFound, and refused credentials to VendorRejected, neither retried nor naming the token', async () => {
    const { featureFlagsDisable } = activitiesFrom(unleashSettings(stub.url));
    await expectFailure(env.run(featureFlagsDisable, { ...key('a'), flag: 'no-such-flag' }), {
      type: 'FlagNotFound',
      nonRetryable: true,
      message: /knows no flag "no-such-flag" in environment "production" of project "default"/,
    });
    const wrong = activitiesFrom(unleashSettings(stub.url, { UNLEASH_API_TOKEN: 'not-the-token-0123' }));
    await expectFailure(env.run(wrong.featureFlagsDisable, { ...key('b'), flag: 'new-checkout' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /Unleash read flag failed: HTTP 401: You must log in/,
      secrets: ['not-the-token-0123', UNLEASH_TOKEN],
    });
    expect(stub.count('flag.off')).toBe(0);
  });

  it('retries throttling after Retry-After, server trouble, and no answer by its deadline', async () => {
    const { featureFlagsRead } = activitiesFrom(unleashSettings(stub.url, { UNLEASH_TIMEOUT_MS: '300' }));
    await expectTransientFaultsRetried(stub, 'read', () => env.run(featureFlagsRead, { ...key('read'), flag: 'new-checkout' }));
  });

  it('refuses a bad input before calling Unleash, naming the field', async () => {
    const { featureFlagsDisable } = activitiesFrom(unleashSettings(stub.url));
    await expectFailure(env.run(featureFlagsDisable, { ...key('c'), flag: 'has spaces/and slashes' }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /featureFlagsDisable: invalid input: flag: letters, digits and \. _ ~ - only/,
    });
    await expectFailure(env.run(featureFlagsDisable, { flag: 'new-checkout' } as never), { type: CapabilityFailure.InvalidInput, nonRetryable: true, message: /idempotencyKey/ });
    expect(stub.requests).toHaveLength(0);
  });
});

describe('the feature-flags capability without Unleash', () => {
  const env = activityEnvironment();

  it('is a local no-op that says so, needing no setting', async () => {
    const { featureFlagsRead, featureFlagsDisable } = activitiesFrom({});
    expect(await env.run(featureFlagsRead, { ...key('r'), flag: 'new-checkout' })).toEqual({ flag: 'new-checkout', environment: 'production', enabled: null, provider: 'local' });
    expect(await env.run(featureFlagsDisable, { ...key('d'), flag: 'new-checkout' })).toMatchObject({ changed: false, provider: 'local' });
  });

  it('stops start-up naming the file and the setting, never the value', () => {
    const failure = (env: Record<string, string>) => {
      try {
        activitiesFrom(env);
      } catch (error) {
        expect(error).toBeInstanceOf(CapabilityCatalogError);
        return (error as Error).message;
      }
      throw new Error('expected start-up to stop');
    };
    expect(failure({ UNLEASH_URL: 'https://unleash.acme.test' })).toContain(
      'runbooks/capabilities/feature-flags.worker.ts: settings.UNLEASH_API_TOKEN: required when UNLEASH_URL is set',
    );
    const message = failure({ UNLEASH_URL: 'ftp://secret-host-name', UNLEASH_API_TOKEN: 'tok-0123456789', UNLEASH_TIMEOUT_MS: 'soon' });
    expect(message).toContain('runbooks/capabilities/feature-flags.worker.ts: settings.UNLEASH_URL: must be an http(s) URL');
    expect(message).toContain('runbooks/capabilities/feature-flags.worker.ts: settings.UNLEASH_TIMEOUT_MS:');
    expect(message).not.toContain('secret-host-name');
    expect(message).not.toContain('tok-0123456789');
  });
});
