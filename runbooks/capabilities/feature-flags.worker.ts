/**
 * Feature flags on Unleash's admin API (`/api/admin/projects/<project>/features/<flag>/
 * environments/<environment>`, and its `/on` and `/off`), or a local no-op without
 * `UNLEASH_URL`. Turning a flag on or off is idempotent by nature, and each step reads the
 * flag first, so a retry acts at most once and says what it found. Unleash's answers map as
 * every vendor's do (activities/http-failures.ts), except a 404: the flag, its project or its
 * environment does not exist, `FlagNotFound`, not retried.
 */
import { z } from 'zod';
import { implementCapability, secretSetting, type Implementation, type OperationContext } from '../../activities/custom-capabilities';
import { sendJson, VendorHttpError } from '../../activities/vendor-http';
import { vendorFailure } from '../../activities/http-failures';
import featureFlags from './feature-flags';

const settings = z
  .object({
    /** Unleash's base URL, e.g. `https://unleash.acme.com`; without it the capability is a local no-op. */
    UNLEASH_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** An admin API token (a personal or service account token), sent as the `Authorization` header. */
    UNLEASH_API_TOKEN: secretSetting().optional(),
    /** The project of flags a step names none for. */
    UNLEASH_PROJECT: z.string().regex(/^[A-Za-z0-9._~-]{1,100}$/, 'an Unleash project id').default('default'),
    /** How long one call to Unleash may take, in milliseconds. */
    UNLEASH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  })
  .superRefine((values, context) => {
    if (values.UNLEASH_URL && !values.UNLEASH_API_TOKEN) context.addIssue({ code: 'custom', path: ['UNLEASH_API_TOKEN'], message: 'required when UNLEASH_URL is set' });
  });

type Settings = z.output<typeof settings>;
type FeatureFlags = Implementation<typeof featureFlags>;
type Target = Parameters<FeatureFlags['read']>[0];

function unleash({ UNLEASH_URL, UNLEASH_API_TOKEN, UNLEASH_PROJECT, UNLEASH_TIMEOUT_MS }: Settings & { UNLEASH_URL: string }): FeatureFlags {
  const token = UNLEASH_API_TOKEN!;
  const base = UNLEASH_URL.replace(/\/+$/, '');
  const path = ({ flag, environment, project = UNLEASH_PROJECT }: Target) =>
    `${base}/api/admin/projects/${encodeURIComponent(project)}/features/${encodeURIComponent(flag)}/environments/${encodeURIComponent(environment)}`;

  async function call<T>(operation: string, url: string, method: 'GET' | 'POST', target: Target, context: OperationContext<'FlagNotFound'>): Promise<T> {
    try {
      return await sendJson<T>(url, UNLEASH_TIMEOUT_MS, { method, headers: { authorization: token.reveal() } });
    } catch (error) {
      if (!(error instanceof VendorHttpError)) throw error;
      if (error.status === 404) {
        throw context.failure('FlagNotFound', `Unleash knows no flag "${target.flag}" in environment "${target.environment}" of project "${target.project ?? UNLEASH_PROJECT}"`);
      }
      throw vendorFailure(error.problem('Unleash', operation), [token.reveal()]);
    }
  }

  async function enabled(target: Target, context: OperationContext<'FlagNotFound'>): Promise<boolean> {
    const answer = await call<{ enabled?: unknown }>('read flag', path(target), 'GET', target, context);
    if (typeof answer?.enabled !== 'boolean') throw context.failure('VendorUnavailable', 'Unleash answered without saying whether the flag is on', { retry: true });
    return answer.enabled;
  }

  async function turn(on: boolean, target: Target, context: OperationContext<'FlagNotFound'>) {
    const { flag, environment } = target;
    if ((await enabled(target, context)) === on) return { flag, environment, enabled: on, changed: false, provider: 'unleash' as const };
    await call('turn flag ' + (on ? 'on' : 'off'), `${path(target)}/${on ? 'on' : 'off'}`, 'POST', target, context);
    return { flag, environment, enabled: on, changed: true, provider: 'unleash' as const };
  }

  return {
    read: async (target, context) => ({ flag: target.flag, environment: target.environment, enabled: await enabled(target, context), provider: 'unleash' }),
    disable: (target, context) => turn(false, target, context),
    enable: (target, context) => turn(true, target, context),
  };
}

/** Without Unleash: nothing is read or turned, and the results say so (`provider: 'local'`). */
const local: FeatureFlags = {
  read: async ({ flag, environment }) => ({ flag, environment, enabled: null, provider: 'local' }),
  disable: async ({ flag, environment }) => ({ flag, environment, enabled: false, changed: false, provider: 'local' }),
  enable: async ({ flag, environment }) => ({ flag, environment, enabled: true, changed: false, provider: 'local' }),
};

export default implementCapability(featureFlags, {
  settings,
  create: (values) => (values.UNLEASH_URL ? unleash({ ...values, UNLEASH_URL: values.UNLEASH_URL }) : local),
});
