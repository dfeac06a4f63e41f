import { Controller, Get, Logger, Param, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { TemporalUnavailableError } from '../temporal/temporal-unavailable.error';
import { ACK_PAGE_HEADERS, type AckPageIncident, renderAckConfirm, renderAckDone, renderAckRefused } from './ack-pages.html';
import { AckService, type TokenCheck } from './ack.service';

/** What the page says of a token that does not verify, and with which status. */
const BAD_TOKEN: Record<Exclude<TokenCheck, { ok: true }>['reason'], { status: number; heading: string; reason: string }> = {
  malformed: { status: 400, heading: 'Not an acknowledgement link', reason: 'This link is incomplete or was changed.' },
  signature: { status: 400, heading: 'Not an acknowledgement link', reason: 'This link was not issued by this Firebreak, or was changed.' },
  expired: { status: 410, heading: 'This link has expired', reason: 'Acknowledgement links work for 24 hours.' },
};

/**
 * `/v1/ack/:token`, the link in every notification. No API key: the signed token is the
 * credential. GET only shows a confirmation (mail scanners and link previews open links);
 * the form's POST acknowledges. Every answer is an HTML page; none is cached.
 */
@ApiTags('on call')
@Controller('v1/ack')
export class AckController {
  private readonly logger = new Logger('ack');

  constructor(private readonly acks: AckService) {}

  @Get(':token')
  @Public('the signed token in the link is the credential; this page changes nothing')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'A confirmation page (incident, severity, who acknowledges) with a button that posts the form. Changes nothing.' })
  @ApiResponse({ status: 400, description: 'Not a link this Firebreak issued, or changed.' })
  @ApiResponse({ status: 410, description: 'The link has expired (24 hours).' })
  async confirm(@Param('token') token: string, @Res() response: Response): Promise<void> {
    await this.answer(response, async () => {
      const check = this.acks.check(token);
      if (!check.ok) return badToken(check.reason);
      const { incidentId, responder } = check.claims;
      const incident = await this.acks.incident(incidentId);
      if (!incident) return { status: 404, html: renderAckRefused('No such incident', `There is no incident ${incidentId}.`) };
      return { status: 200, html: renderAckConfirm(incident, this.acks.nameOf(responder), `/v1/ack/${token}`) };
    });
  }

  @Post(':token')
  @Public('the signed token in the link is the credential, and names the person who acknowledges')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Acknowledged as the person the link was sent to.' })
  @ApiResponse({ status: 400, description: 'Not a link this Firebreak issued, or changed. Nothing changes.' })
  @ApiResponse({ status: 409, description: 'The incident refused it (acknowledged since the link was issued, or closed). Nothing changes.' })
  @ApiResponse({ status: 410, description: 'The link has expired. Nothing changes.' })
  async acknowledge(@Param('token') token: string, @Res() response: Response): Promise<void> {
    await this.answer(response, async () => {
      const check = this.acks.check(token);
      if (!check.ok) return badToken(check.reason);
      const { incidentId, responder, issuedAt } = check.claims;
      const person = this.acks.nameOf(responder);
      const outcome = await this.acks.acknowledge(incidentId, responder, { responder, channel: 'link', issuedAt });
      const incident: AckPageIncident | undefined = outcome.kind === 'not-found' ? undefined : await this.acks.incident(incidentId).catch(() => undefined);
      switch (outcome.kind) {
        case 'acknowledged':
          return {
            status: 200,
            html: renderAckDone(incident ?? { id: incidentId, title: incidentId, severity: outcome.result.severity, status: outcome.result.status }, person),
          };
        case 'refused':
          return { status: 409, html: renderAckRefused('Not acknowledged', `This link does not acknowledge: ${outcome.reason}.`, incident, person) };
        case 'closed':
          return { status: 409, html: renderAckRefused('The incident is closed', 'There is nothing left to acknowledge.', incident, person) };
        case 'not-found':
          return { status: 404, html: renderAckRefused('No such incident', `There is no incident ${incidentId}.`) };
      }
    });
  }

  /** Sends the page `render` makes; Temporal out of reach is a page too, never a JSON error. */
  private async answer(response: Response, render: () => Promise<{ status: number; html: string }>): Promise<void> {
    let page: { status: number; html: string };
    const headers: Record<string, string> = { ...ACK_PAGE_HEADERS };
    try {
      page = await render();
    } catch (error) {
      if (!(error instanceof TemporalUnavailableError)) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      const retryAfter = error instanceof TemporalUnavailableError ? error.retryAfterSeconds : 5;
      headers['Retry-After'] = String(retryAfter);
      page = { status: 503, html: renderAckRefused('Try again in a moment', 'Firebreak cannot reach its incidents right now.') };
    }
    response.status(page.status).set(headers).send(page.html);
  }
}

function badToken(reason: Exclude<TokenCheck, { ok: true }>['reason']): { status: number; html: string } {
  const { status, heading, reason: text } = BAD_TOKEN[reason];
  return { status, html: renderAckRefused(heading, text) };
}
