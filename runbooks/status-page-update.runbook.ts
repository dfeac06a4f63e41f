import { z } from 'zod';
import { ComponentsSchema, PublicTitleSchema } from '../core/schemas/capabilities/status-page';
import { StatusPageIncidentStatusSchema } from '../core/schemas/capabilities/statuses';
import { defineRunbook } from '../core/model/runbook';
import { rolesFrom } from '../core/model/roles';
import { publicStatusTitle } from '../core/model/status-page-bounds';

const TEMPLATES = {
  investigating: 'We are investigating reports of problems with {service}.',
  identified: 'We have identified the cause of the problems with {service} and are working on a fix.',
  monitoring: 'A fix for {service} is in place and we are monitoring the results.',
  resolved: 'The problems with {service} are resolved. Thank you for your patience.',
} as const;

/** The communications lead's runbook: posts a templated update to the status page for the incident. */
export default defineRunbook({
  id: 'status-page-update',
  title: 'Status page update',
  description: 'Posts a templated status page update (investigating, identified, monitoring, resolved) for the incident.',
  version: 1,
  input: z.object({
    stage: StatusPageIncidentStatusSchema,
    service: z.string().min(1),
    title: PublicTitleSchema.optional().describe('The public title, for customers, when this opens the status incident. Default: "Degraded service: <service>".'),
    details: z.string().max(2000).optional().describe('A sentence added after the template.'),
    components: ComponentsSchema.default({}),
  }),
  // Not destructive (a later update corrects it), but public: launched by those who may post to the status page.
  destructive: false,
  permissions: { launch: rolesFrom('commander') },
  uses: ['statusPage'],
  async run(ctx, input) {
    const message = [TEMPLATES[input.stage].replace('{service}', input.service), input.details].filter(Boolean).join(' ');
    const incident = await ctx.incident.get();
    const existing = incident?.statusPage?.statusIncidentId;
    if (existing) {
      await ctx.statusPage.updateIncident({ statusIncidentId: existing, status: input.stage, message, components: input.components });
      return { statusIncidentId: existing, message };
    }
    const opened = await ctx.statusPage.openIncident({
      title: input.title ?? publicStatusTitle(input.service),
      status: input.stage,
      message,
      components: input.components,
    });
    return { statusIncidentId: opened.id, message };
  },
});
