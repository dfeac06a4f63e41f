import { z } from 'zod';
import { defineRunbook } from '../core/model/runbook';

/**
 * Scales an ECS service out by a bounded step when its CPU is high, waits for the alert to
 * resolve, escalates to a human when it does not, and scales back in later if asked.
 *
 * Destructive: it changes what runs. Started from an alert, it scales the ECS service that
 * `runbooks/services.ts` names for the alert's service, after a person approves unless the
 * route says `autoRemediate: true`.
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
      requireApproval: z.boolean().default(false).describe('Wait for a person to approve before scaling.'),
      approvalTimeoutMinutes: z.number().int().min(1).max(240).default(15),
      requiredApprovals: z.number().int().min(1).max(5).default(1).describe('How many distinct people must approve, when approval is asked.'),
    })
    .refine((input) => input.min <= input.max, { message: 'min must not exceed max', path: ['min'] }),
  fromAlert: (_alert, { service, requireApproval }) => {
    if (!service?.ecs) throw new Error(`service "${service?.name ?? ''}" names no ecs service in runbooks/services.ts`);
    return { cluster: service.ecs.cluster, service: service.ecs.service, requireApproval };
  },
  triggers: [{ match: { alertname: /^(HighCPU|CPUHigh|HighCpuUtilization)$/i } }],
  guardrails: {
    target: (input) => `${input.cluster}/${input.service}`,
    budget: { max: 3, windowMinutes: 60 },
    globalBudget: { max: 10, windowMinutes: 60 },
  },
  destructive: true,
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
    if (input.requireApproval) {
      const decision = await ctx.approve({
        prompt: `Scale ${input.service} from ${from} to ${to} tasks?`,
        required: input.requiredApprovals,
        timeout: `${input.approvalTimeoutMinutes} minutes`,
      });
      if (decision === null) {
        await page(`Scaling ${input.service} out is waiting for a decision nobody made.`);
        return { scaled: false, reason: 'approval-timed-out', desiredCount: from };
      }
      if (!decision.approved) return { scaled: false, reason: 'rejected', by: decision.by, desiredCount: from };
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
