import { z } from 'zod';
import { defineRunbook } from '../core/model/runbook';

/** Describes a service — desired vs running tasks, recent deployments and events — onto the incident's timeline. */
export default defineRunbook({
  id: 'service-health-check',
  title: 'Service health check',
  description: 'Writes the service\'s task counts, deployments and recent events to the incident timeline.',
  version: 1,
  input: z.object({ cluster: z.string().min(1), service: z.string().min(1), events: z.number().int().min(0).max(50).default(5) }),
  fromAlert: (alert) => ({ cluster: alert.labels.cluster ?? 'default', service: alert.service ?? alert.labels.service ?? 'unknown' }),
  async run(ctx, input) {
    const service = await ctx.scaling.describeService({ ref: { cluster: input.cluster, service: input.service } });
    const healthy = service.runningCount >= service.desiredCount && service.pendingCount === 0;
    const lines = [
      `${input.service} on ${input.cluster}: ${service.runningCount}/${service.desiredCount} tasks running, ${service.pendingCount} pending${healthy ? '' : ' — below desired'}`,
      ...service.deployments.map((deployment) => `deployment ${deployment.id}: ${deployment.status}${deployment.taskDefinition ? ` (${deployment.taskDefinition})` : ''}`),
      ...service.events.slice(0, input.events).map((event) => `event${event.at ? ` ${event.at}` : ''}: ${event.message}`),
    ];
    await ctx.incident.note(lines.join('\n'));
    return { healthy, findings: lines };
  },
});
