import { z } from 'zod';
import { defineRunbook } from '../../core/model/runbook';

/** Test runbook: one scaling action per service per 30 minutes, started by a trigger label. */
export default defineRunbook({
  id: 'guarded-action',
  title: 'Guarded action',
  description: 'Scales a service; guarded by single flight and a budget of one run per 30 minutes.',
  input: z.object({ service: z.string().min(1) }),
  fromAlert: (alert) => ({ service: alert.labels.service ?? 'unknown' }),
  triggers: [{ match: { firebreak_test: 'guardrail' } }],
  guardrails: { target: (input) => input.service, budget: { max: 1, windowMinutes: 30 } },
  async run(ctx, input) {
    await ctx.scaling.scaleService({ ref: { cluster: 'test', service: input.service }, desiredCount: 3, min: 1, max: 5 });
    return { acted: true };
  },
});
