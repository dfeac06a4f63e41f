import { z } from 'zod';
import { stepText } from '../core/schemas/capabilities/common';
import { ComponentsSchema, PublicTitleSchema } from '../core/schemas/capabilities/status-page';
import { SEVERITIES } from '../core/model/incident-model';
import { defineRunbook } from '../core/model/runbook';
import { publicStatusTitle } from '../core/model/status-page-bounds';

/**
 * Everything a major incident needs in its first minutes: a ticket, a chat channel with
 * the responders in it, a video room posted (and pinned) there, the status page set to
 * investigating, and the on-call paged.
 */
export default defineRunbook({
  id: 'major-incident-kickoff',
  title: 'Major incident kickoff',
  description: 'Opens the ticket, chat channel, video room and status page incident, and pages on-call.',
  version: 1,
  input: z.object({
    // Any realistic length: each vendor-bound use is fitted to its vendor by the adapter.
    title: stepText(1).describe('What is broken, for people (plain text).'),
    service: stepText(1).describe('The affected service.'),
    publicTitle: PublicTitleSchema.optional().describe('The status page title, for customers. Default: "Degraded service: <service>", never the internal title.'),
    severity: z.enum(SEVERITIES).default('SEV1'),
    responders: z.array(z.string().min(1)).default([]).describe('Chat user ids to invite.'),
    onCall: z.array(z.string().min(1)).default(['primary-on-call']).describe('Paging targets.'),
    components: ComponentsSchema.default({}).describe('Status page components to mark.'),
  }),
  fromAlert: (alert) => ({
    title: alert.summary,
    service: alert.service ?? alert.labels.service ?? 'unknown',
    severity: alert.severity ?? 'SEV1',
  }),
  // Not destructive: it opens a channel, a call, a ticket and a status incident, and changes no running system.
  destructive: false,
  uses: ['ticketing', 'chat', 'video', 'statusPage', 'paging'],
  async run(ctx, input) {
    // Steps fill in the incident id themselves; the texts name it too.
    const incidentId = ctx.incidentId ?? ctx.executionId;
    const ticket = await ctx.ticketing.createTicket({
      summary: `[${input.severity}] ${input.title}`,
      description: `Major incident on ${input.service}. Firebreak incident: ${incidentId}.`,
      priority: input.severity === 'SEV0' || input.severity === 'SEV1' ? 'P1' : 'P2',
      labels: ['incident', `service-${input.service}`],
    });
    const channel = await ctx.chat.createChannel({ name: `inc-${input.service}`, topic: `${input.title} · ${ticket.key}` });
    if (input.responders.length > 0) await ctx.chat.invite({ channelId: channel.id, users: input.responders });
    await ctx.chat.postMessage({ channelId: channel.id, text: `:rotating_light: ${input.title} (${input.severity}). Ticket: ${ticket.url}` });
    const meeting = await ctx.video.createMeeting({ topic: `${input.title} (${incidentId})` });
    await ctx.chat.postMessage({ channelId: channel.id, text: `Video room: ${meeting.joinUrl}`, pin: true });
    const status = await ctx.statusPage.openIncident(
      {
        title: input.publicTitle ?? publicStatusTitle(input.service),
        status: 'investigating',
        message: `We are investigating problems with ${input.service}.`,
        components: input.components,
      },
      {
        compensate: (opened) =>
          ctx.statusPage.updateIncident({
            statusIncidentId: opened.id,
            status: 'resolved',
            message: 'This notice was opened in error and is withdrawn.',
          }),
      },
    );
    await ctx.paging.page({
      action: 'trigger',
      dedupKey: `kickoff:${incidentId}`,
      summary: `[${input.severity}] ${input.title}: join ${channel.name} and ${meeting.joinUrl}`,
      severity: 'critical',
      targets: input.onCall,
    });
    await ctx.log(`ticket ${ticket.key}, channel ${channel.name}, room ${meeting.joinUrl}, status page ${status.id}`);
    return { ticket: ticket.key, channel: channel.id, meeting: meeting.joinUrl, statusIncident: status.id };
  },
});
