import { z } from 'zod';
import { defineRunbook } from '../core/model/runbook';

/**
 * Scales an ECS service out by a bounded step when its CPU is high, waits for the alert to
 * resolve, escalates to a human when it does not, and scales back in later if asked.
 */
export default defineRunbook({
  id: 'scale-out-on-high-cpu',
  title: 'Scale out on high CPU',
  description: 'Adds tasks to a service within min/max, verifies the CPU alert resolves, and can scale back in later.',
  version: 1,
  input: z
    .object({
      cluster: z.string().min(1),
      service: z.string().min(1),
      step: z.number().int().min(1).max(50).default(2),
      min: z.number().int().min(0).default(1),
      max: z.number().int().min(1).default(10),
      waitMinutes: z.number().int().min(0).max(120).default(10),
      scaleBackAfterMinutes: z.number().int().min(1).max(24 * 60).optional().describe('Scale back in this long after the alert resolves.'),
    })
    .refine((input) => input.min <= input.max, { message: 'min must not exceed max', path: ['min'] }),
  fromAlert: (alert) => ({
    cluster: alert.labels.cluster ?? 'default',
    service: alert.service ?? alert.labels.service ?? 'unknown',
  }),
  triggers: [{ match: { alertname: /^(HighCPU|CPUHigh|HighCpuUtilization)$/i } }],
  guardrails: { target: (input) => `${input.cluster}/${input.service}`, budget: { max: 3, windowMinutes: 60 } },
  uses: ['scaling', 'paging'],
  async run(ctx, input) {
    const ref = { cluster: input.cluster, service: input.service };
    const page = (summary: string) =>
      ctx.paging.page({
        action: 'trigger',
        dedupKey: `scale-out:${input.cluster}/${input.service}:${ctx.executionId}`,
        summary,
        severity: 'error',
      });
    const before = await ctx.scaling.describeService({ ref });
    const from = before.desiredCount;
    const to = Math.min(input.max, Math.max(input.min, from + input.step));
    if (to <= from) {
      await page(`${input.service} is at its maximum of ${input.max} tasks and CPU is still high.`);
      return { scaled: false, reason: 'at-max', desiredCount: from };
    }
    const scaled = await ctx.scaling.scaleService(
      { ref, desiredCount: to, min: input.min, max: input.max },
      { compensate: (result) => ctx.scaling.scaleService({ ref, desiredCount: result.previousCount, min: input.min, max: input.max }) },
    );
    await ctx.log(`scaled ${input.service} from ${scaled.previousCount} to ${scaled.desiredCount} tasks`);

    if (ctx.incidentId && input.waitMinutes > 0) {
      const resolved = await ctx.waitFor(async () => (await ctx.incident.get())?.firingAlerts === 0, {
        timeout: `${input.waitMinutes} minutes`,
        every: '30 seconds',
      });
      if (!resolved) {
        await page(`${input.service} was scaled to ${to} tasks but CPU is still high: a human should look.`);
        return { scaled: true, from: scaled.previousCount, to, resolved: false };
      }
    }
    if (input.scaleBackAfterMinutes) {
      await ctx.sleep(`${input.scaleBackAfterMinutes} minutes`);
      await ctx.scaling.scaleService(
        { ref, desiredCount: scaled.previousCount, min: input.min, max: input.max },
        { id: 'scale-back-in' },
      );
      await ctx.log(`scaled ${input.service} back in to ${scaled.previousCount} tasks`);
    }
    return { scaled: true, from: scaled.previousCount, to, resolved: true };
  },
});
