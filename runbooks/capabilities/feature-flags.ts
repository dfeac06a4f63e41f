/**
 * Feature flags: turn a flag off (or back on) in one environment, and read whether it is on.
 * The worker implements it over Unleash's admin API when `UNLEASH_URL` is set, and as a
 * local no-op otherwise (feature-flags.worker.ts). A kill switch is the quickest mitigation
 * there is: `ctx.featureFlags.disable({ flag: 'new-checkout' })`.
 */
import { z } from 'zod';
import { defineCapability, defineOperation } from '../../core/model/capability';

/** Unleash's names: a flag's, an environment's and a project's are URL-safe and at most 100 characters. */
const unleashName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._~-]+$/, 'letters, digits and . _ ~ - only');

const FlagInput = z.object({
  flag: unleashName.describe('The feature flag, e.g. "new-checkout".'),
  environment: unleashName.default('production'),
  /** The Unleash project; the one in `UNLEASH_PROJECT` when left out. */
  project: unleashName.optional(),
});

const FlagChange = z.object({
  flag: z.string(),
  environment: z.string(),
  /** Whether the flag is on now, after the step. */
  enabled: z.boolean(),
  /**
   * Whether this step turned it: false when it was that way already. A retry of a step that
   * acted finds it so, and says false: read the flag in a step of its own first to know what
   * to put back.
   */
  changed: z.boolean(),
  provider: z.enum(['unleash', 'local', 'dry-run']),
});

const FlagState = z.object({
  flag: z.string(),
  environment: z.string(),
  /** Null where nothing is known: on the local adapter and in dry runs. */
  enabled: z.boolean().nullable(),
  provider: z.enum(['unleash', 'local', 'dry-run']),
});

export default defineCapability({
  name: 'featureFlags',
  operations: {
    read: defineOperation({
      description: 'Reads whether a feature flag is on in an environment; has no effect.',
      input: FlagInput,
      output: FlagState,
      failures: ['FlagNotFound'],
    }).dryRun((input) => ({ flag: input.flag, environment: input.environment ?? 'production', enabled: null, provider: 'dry-run' })),
    disable: defineOperation({
      description: 'Turns a feature flag off in an environment (a kill switch); a no-op when it is off already.',
      input: FlagInput,
      output: FlagChange,
      failures: ['FlagNotFound'],
    }).dryRun((input) => ({ flag: input.flag, environment: input.environment ?? 'production', enabled: false, changed: false, provider: 'dry-run' })),
    enable: defineOperation({
      description: 'Turns a feature flag on in an environment; a no-op when it is on already.',
      input: FlagInput,
      output: FlagChange,
      failures: ['FlagNotFound'],
    }).dryRun((input) => ({ flag: input.flag, environment: input.environment ?? 'production', enabled: true, changed: false, provider: 'dry-run' })),
  },
});
