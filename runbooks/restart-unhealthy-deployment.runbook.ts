import { z } from 'zod';
import { defineRunbook } from '../core/model/runbook';
import { type DeploymentDescription, DeploymentNameSchema, KubernetesNamespaceSchema } from '../core/schemas/capabilities/kubernetes';

/** Pods named in a finding; the rest are counted. */
const PODS_NAMED = 5;

const Input = z.object({
  namespace: KubernetesNamespaceSchema,
  deployment: DeploymentNameSchema,
  restartThreshold: z.number().int().min(1).max(1000).default(3).describe('A pod restarted this many times counts as crash-looping.'),
  rolloutMinutes: z.number().int().min(1).max(60).default(10).describe('How long the restart may take to roll out.'),
  requireApproval: z.boolean().default(false).describe('Wait for a person to approve before restarting.'),
  approvalTimeoutMinutes: z.number().int().min(1).max(240).default(15),
});

/**
 * Restarts a Kubernetes deployment whose pods are unhealthy (not ready, crash-looping, or
 * fewer available than desired), as `kubectl rollout restart` does, waits for the rollout and
 * looks again. A failed rollout is not restarted (the same template would roll out again):
 * it pages a human, as does a deployment still unhealthy after the restart. One run per
 * deployment at a time, at most two that act per hour; past that it pages instead.
 *
 * Destructive: it replaces every pod. Started from an alert, it restarts the deployment that
 * `runbooks/services.ts` names for the alert's service, after a person approves unless the
 * route says `autoRemediate: true`.
 */
export default defineRunbook({
  id: 'restart-unhealthy-deployment',
  title: 'Restart an unhealthy deployment',
  description: 'Restarts a Kubernetes deployment whose pods are not ready or crash-looping, waits for the rollout, and checks again.',
  version: 1,
  input: Input,
  uses: ['kubernetes', 'paging'],
  fromAlert: (_alert, { service, requireApproval }) => {
    if (!service?.kubernetes) throw new Error(`service "${service?.name ?? ''}" names no kubernetes deployment in runbooks/services.ts`);
    return { namespace: service.kubernetes.namespace, deployment: service.kubernetes.deployment, requireApproval };
  },
  triggers: [{ match: { alertname: /^(KubePodCrashLooping|KubeDeploymentReplicasMismatch)$/ } }],
  guardrails: {
    target: (input) => `${input.namespace}/${input.deployment}`,
    budget: { max: 2, windowMinutes: 60 },
    globalBudget: { max: 6, windowMinutes: 60 },
  },
  destructive: true,
  async run(ctx, input) {
    const ref = { namespace: input.namespace, name: input.deployment };
    const subject = `${input.namespace}/${input.deployment}`;
    const page = (summary: string) =>
      ctx.paging.page({ action: 'trigger', dedupKey: `restart-unhealthy:${subject}:${ctx.executionId}`, summary, severity: 'error' });

    const before = await ctx.kubernetes.describeDeployment(ref);
    const found = problemsOf(before, input.restartThreshold);
    if (ctx.dryRun) {
      // A dry run read nothing: plan what an unhealthy deployment gets.
      await ctx.log(`dry run: ${subject} was not described; the plan shows the restart an unhealthy deployment gets`);
    } else {
      await ctx.incident.note(report(`${subject} before any restart`, before, found));
      if (before.rollout.state === 'failed') {
        await page(`The rollout of ${subject} failed (${before.rollout.message}); a restart would roll out the same template. A human should decide (a rollback?).`);
        return { restarted: false, reason: 'rollout-failed', problems: found };
      }
      if (found.length === 0) return { restarted: false, reason: 'healthy' };
      if (before.replicas.updated < before.replicas.desired) {
        await ctx.log(`${subject} is rolling out (${before.rollout.message}); not restarting in the middle of it`);
        return { restarted: false, reason: 'rollout-in-progress', problems: found };
      }
    }
    if (input.requireApproval) {
      const decision = await ctx.approve({ prompt: `Restart ${subject} (${found.join('; ') || 'unhealthy'})?`, timeout: `${input.approvalTimeoutMinutes} minutes` });
      if (decision === null) {
        await page(`Restarting ${subject} is waiting for a decision nobody made.`);
        return { restarted: false, reason: 'approval-timed-out', problems: found };
      }
      if (!decision.approved) return { restarted: false, reason: 'rejected', by: decision.by, problems: found };
    }

    let restart;
    try {
      restart = await ctx.kubernetes.restartDeployment(ref, { timeout: `${input.rolloutMinutes} minutes` });
    } catch (error) {
      await page(`Restarting ${subject} did not roll out (${reason(error)}). A human should look.`);
      throw error;
    }
    const after = await ctx.kubernetes.describeDeployment(ref, { id: 'describe-after-restart' });
    const left = problemsOf(after, input.restartThreshold);
    if (!ctx.dryRun) {
      await ctx.incident.note(report(`${subject} after the restart`, after, left));
      if (left.length > 0) await page(`${subject} was restarted but is still unhealthy: ${left.join('; ')}. A human should look.`);
    }
    return { restarted: true, restartedAt: restart.restartedAt, healthy: left.length === 0, problemsBefore: found, problemsAfter: left };
  },
});

/** What is wrong with the deployment, one line per problem; none when it is healthy. */
function problemsOf({ replicas, pods, podsTruncated }: DeploymentDescription, restartThreshold: number): string[] {
  const problems: string[] = [];
  if (replicas.available < replicas.desired) problems.push(`${replicas.available} of ${replicas.desired} replicas available`);
  const notReady = pods.filter((pod) => !pod.ready);
  if (notReady.length > 0) problems.push(`not ready: ${named(notReady.map((pod) => `${pod.name}${pod.reason ? ` (${pod.reason})` : ''}`), podsTruncated)}`);
  const looping = pods.filter((pod) => pod.reason === 'CrashLoopBackOff' || pod.restarts >= restartThreshold);
  if (looping.length > 0) problems.push(`crash-looping: ${named(looping.map((pod) => `${pod.name} (${pod.restarts} restarts)`), podsTruncated)}`);
  return problems;
}

function named(items: string[], more: boolean): string {
  const shown = items.slice(0, PODS_NAMED).join(', ');
  const rest = items.length - PODS_NAMED;
  return `${shown}${rest > 0 ? ` and ${rest} more` : ''}${more ? ' (more pods than were listed)' : ''}`;
}

function report(title: string, described: DeploymentDescription, problems: string[]): string {
  const { replicas, rollout, events } = described;
  return [
    `${title}: ${problems.length === 0 ? 'healthy' : 'unhealthy'}`,
    `replicas: ${replicas.available}/${replicas.desired} available, ${replicas.updated} updated; rollout ${rollout.state}: ${rollout.message}`,
    ...problems,
    ...events.slice(0, 5).map((event) => `event ${event.at ?? ''} ${event.type} ${event.reason} ${event.object}: ${event.message}`),
  ].join('\n');
}

/** A failed step's own words (an activity failure carries them in its cause). */
function reason(error: unknown): string {
  const failure = error as { message?: string; cause?: { message?: string } } | undefined;
  return failure?.cause?.message ?? failure?.message ?? String(error);
}
