import { z } from 'zod';
import type { Alert } from '../core/model/alert';
import { type AlertLaunchContext, defineRunbook } from '../core/model/runbook';

/**
 * Rolls a service back to its last good release: finds it, asks for approval when the
 * input or the incident's severity says so, rolls back (GitHub deployment of the previous
 * good ref, or the ECS service's previous task definition), waits until stable, verifies
 * the alert resolves, and updates the status page. If the rollback fails (the vendor's
 * failure state, or the step's timeout), or the run is cancelled or fails after rolling
 * back, it rolls forward to what was running. At most one rollback per target (scope,
 * service and environment) per 30 minutes, and three across all targets per hour; past that
 * it pages a human instead.
 *
 * Destructive: it deploys. Started from an alert, it rolls back what `runbooks/services.ts`
 * says the alert's service is (never what the alert's labels say), and waits for approval
 * unless the route says `autoRemediate: true`.
 */
export default defineRunbook({
  id: 'rollback-bad-deploy',
  title: 'Roll back a bad deploy',
  description: 'Rolls a service back to its last good release, with approval, verification and a per-target budget.',
  version: 1,
  input: z.object({
    service: z.string().min(1),
    scope: z.string().min(1).describe('GitHub "owner/repo", or the ECS cluster.'),
    environment: z.string().min(1).default('production'),
    requireApproval: z.boolean().default(false).describe('Ask even when the severity would not.'),
    approvalTimeoutMinutes: z.number().int().min(1).max(240).default(15),
    requiredApprovals: z.number().int().min(1).max(5).default(1).describe('How many distinct people must approve, when approval is asked.'),
    verifyMinutes: z.number().int().min(0).max(120).default(10),
    requireStatusChecks: z.boolean().default(true).describe("GitHub: the deployment waits for the repository's required status checks."),
  }),
  fromAlert: (alert, context) => ({ ...deployTargetOf(alert, context), requireApproval: context.requireApproval }),
  triggers: [{ match: { remediation: 'rollback' } }],
  guardrails: {
    target: (input) => `${input.scope}:${input.service}:${input.environment}`,
    budget: { max: 1, windowMinutes: 30 },
    globalBudget: { max: 3, windowMinutes: 60 },
  },
  destructive: true,
  uses: ['deploy', 'statusPage', 'paging'],
  async run(ctx, input) {
    const target = {
      service: input.service,
      scope: input.scope,
      environment: input.environment,
      // Sent only when skipped, so commands recorded before the flag existed read the same.
      ...(input.requireStatusChecks ? {} : { requireStatusChecks: false }),
    };
    const incident = await ctx.incident.get();
    const page = (summary: string, targets: string[] = []) =>
      ctx.paging.page({
        action: 'trigger',
        dedupKey: `rollback:${input.service}:${ctx.executionId}`,
        summary,
        severity: 'critical',
        targets,
      });

    const releases = await ctx.deploy.findReleases({ target });
    if (!releases.previousGood) {
      await ctx.log(`no earlier good release of ${input.service} is known; a human must decide`);
      await page(`Rollback of ${input.service} needs a human: no earlier good release is known.`);
      return { rolledBack: false, reason: 'no-previous-release' };
    }
    const severe = incident?.severity === 'SEV0' || incident?.severity === 'SEV1';
    if (input.requireApproval || severe) {
      const decision = await ctx.approve({
        prompt: `Roll ${input.service} back from ${releases.current?.ref ?? 'the current release'} to ${releases.previousGood.ref}?`,
        required: input.requiredApprovals,
        timeout: `${input.approvalTimeoutMinutes} minutes`,
      });
      if (decision === null) {
        const commander = incident?.roles.commander;
        await page(`Rollback of ${input.service} is waiting for a decision nobody made.`, commander ? [commander] : []);
        return { rolledBack: false, reason: 'approval-timed-out' };
      }
      if (!decision.approved) return { rolledBack: false, reason: 'rejected', by: decision.by };
    }

    const current = releases.current;
    const rollForward = () =>
      current
        ? ctx.deploy.rollback({ target, to: current, reason: `Firebreak ${ctx.executionId}: roll forward (undo)` }, { id: 'roll-forward' })
        : Promise.resolve();
    let rollback;
    try {
      rollback = await ctx.deploy.rollback(
        { target, to: releases.previousGood, reason: `Firebreak ${ctx.executionId}: rollback of a bad deploy` },
        { compensate: rollForward },
      );
    } catch (error) {
      // A rollback that failed or ran out of time may have half happened: put back what ran
      // before, as the compensation of a completed rollback would.
      if (ctx.patched('roll-forward-after-failed-rollback')) {
        await rollForward().catch((failure: unknown) =>
          ctx.log(`could not roll forward: ${failure instanceof Error ? failure.message : String(failure)}`),
        );
      }
      throw error;
    }
    if (!rollback.stable) throw new Error(`${input.service} did not become stable on ${rollback.ref}`);

    let resolved: boolean | undefined;
    if (ctx.incidentId && input.verifyMinutes > 0) {
      resolved = await ctx.waitFor(async () => (await ctx.incident.get())?.firingAlerts === 0, {
        timeout: `${input.verifyMinutes} minutes`,
        every: '30 seconds',
      });
      await ctx.log(resolved ? 'the alert resolved after the rollback' : 'the alert still fires after the rollback');
      if (!resolved) await page(`${input.service} was rolled back to ${rollback.ref} but the alert still fires.`);
    }
    const statusIncidentId = incident?.statusPage?.statusIncidentId;
    if (statusIncidentId) {
      await ctx.statusPage.updateIncident({
        statusIncidentId,
        status: resolved === false ? 'identified' : 'monitoring',
        message: `We rolled ${input.service} back to a previous release and are monitoring the result.`,
      });
    }
    return { rolledBack: true, ref: rollback.ref, deploymentId: rollback.deploymentId, resolved };
  },
});

/**
 * What an alert's rollback acts on, from the service's entry in `runbooks/services.ts`: its
 * GitHub repository, else its ECS service, else its Octopus project, in the environment the
 * alert names if the entry lists it (else the entry's first).
 */
function deployTargetOf(alert: Alert, { service }: AlertLaunchContext) {
  if (!service) throw new Error('no service from runbooks/services.ts');
  const where = service.repository
    ? { service: service.name, scope: service.repository }
    : service.ecs
      ? { service: service.ecs.service, scope: service.ecs.cluster }
      : service.octopus
        ? { service: service.name, scope: service.octopus.project }
        : undefined;
  if (!where) throw new Error(`service "${service.name}" names no repository, ecs or octopus in runbooks/services.ts`);
  const asked = alert.labels.environment;
  if (asked !== undefined && !service.environments.includes(asked)) {
    throw new Error(`environment "${asked}" is not one of ${service.name}'s environments in runbooks/services.ts (${service.environments.join(', ')})`);
  }
  return { ...where, environment: asked ?? service.environments[0], requireStatusChecks: service.requireStatusChecks };
}
