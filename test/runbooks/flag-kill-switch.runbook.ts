import { z } from 'zod';
import { defineRunbook } from '../../core/model/runbook';
import featureFlags from '../../runbooks/capabilities/feature-flags';

/**
 * Test runbook on a custom capability (runbooks/capabilities/feature-flags.ts): turns a flag
 * off, waits for the incident's alerts to clear, and when they do not, fails so that its
 * compensation turns the flag back on: a kill switch that did not help is no mitigation.
 */
export default defineRunbook({
  id: 'flag-kill-switch',
  title: 'Flag kill switch',
  description: 'Turns a feature flag off; turns it back on when the alerts do not clear.',
  input: z.object({
    flag: z.string().min(1),
    environment: z.string().min(1).default('production'),
    verifyMinutes: z.number().int().min(0).max(60).default(10),
  }),
  uses: [featureFlags, 'paging'],
  async run(ctx, input) {
    const target = { flag: input.flag, environment: input.environment };
    // Read in a step of its own: its result is recorded, so what to put back survives retries.
    const before = await ctx.featureFlags.read(target);
    if (before.enabled === false) {
      await ctx.log(`${input.flag} is off already in ${input.environment}`);
      return { turnedOff: false };
    }
    await ctx.featureFlags.disable(target, { compensate: () => ctx.featureFlags.enable(target) });
    const cleared = await ctx.waitFor(async () => (await ctx.incident.get())?.firingAlerts === 0, {
      timeout: `${input.verifyMinutes} minutes`,
      every: '30 seconds',
    });
    if (!cleared) {
      await ctx.paging.page({ action: 'trigger', dedupKey: `kill-switch:${input.flag}`, summary: `Turning ${input.flag} off did not clear the alerts; it is back on.` });
      throw new Error(`turning ${input.flag} off did not clear the alerts`);
    }
    return { turnedOff: true };
  },
});
