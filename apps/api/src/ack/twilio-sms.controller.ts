import { Controller, ForbiddenException, Headers, HttpCode, Inject, Logger, NotFoundException, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import twilio from 'twilio';
import type { Config } from '../../../../core/schemas/config';
import type { IntegrationsConfig } from '../../../../core/schemas/integrations-config';
import { truncateText } from '../../../../core/model/text';
import { Public } from '../auth/public.decorator';
import { TemporalUnavailableError } from '../temporal/temporal-unavailable.error';
import { CONFIG } from '../tokens';
import { AckService } from './ack.service';

/** The SMS settings the API was started with. */
export const SMS_SETTINGS = Symbol('firebreak.sms-settings');

/** `ACK <code>`, any case, any spaces; the code is the incident id without or with its `inc-`. */
const ACK_REPLY = /^ack\s*(?:inc-)?([0-9a-f]{12}(?:-[1-9][0-9]{0,5})?)$/i;

/** Bytes of an incident title quoted in a reply, so the reply stays a short SMS. */
const TITLE_IN_REPLY = 60;
/** Bytes of an incident's refusal quoted in a reply. */
const REASON_IN_REPLY = 120;

/**
 * Twilio's inbound SMS webhook: a responder replies `ACK <code>` to a notification and the
 * incident `inc-<code>` is acknowledged as them. Only requests that carry Twilio's signature
 * of this URL and these parameters (`X-Twilio-Signature`, under the account's auth token)
 * are read; the sender is known by their `contact.sms` number. The answer is TwiML: a reply
 * saying what happened. Without `SMS_PROVIDER=twilio` the route does not exist (404).
 */
@ApiTags('on call')
@Controller('v1/webhooks/twilio')
export class TwilioSmsController {
  private readonly logger = new Logger('twilio');

  constructor(
    private readonly acks: AckService,
    @Inject(SMS_SETTINGS) private readonly sms: IntegrationsConfig['sms'],
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('sms')
  @Public("Twilio's signature of the request (X-Twilio-Signature) is the credential; the sender is known by their number")
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/xml')
  @ApiHeader({ name: 'X-Twilio-Signature', required: false, description: "Twilio's signature of the URL and parameters; a request without a valid one is refused." })
  @ApiResponse({ status: 200, description: 'TwiML `<Response><Message>` telling the sender what happened.' })
  @ApiResponse({ status: 403, description: 'No valid Twilio signature. Nothing changes.' })
  @ApiResponse({ status: 404, description: 'SMS_PROVIDER is not twilio.' })
  async receive(@Req() request: Request, @Res() response: Response, @Headers('X-Twilio-Signature') signature?: string): Promise<void> {
    if (this.sms.provider !== 'twilio') throw new NotFoundException('SMS replies need SMS_PROVIDER=twilio');
    const params: Record<string, unknown> = typeof request.body === 'object' && request.body !== null ? request.body : {};
    // Twilio signs the URL it was given: PUBLIC_URL plus this path and query.
    const url = `${this.config.publicUrl}${request.originalUrl}`;
    if (!signature || !twilio.validateRequest(this.sms.authToken.reveal(), signature, url, params)) {
      throw new ForbiddenException('X-Twilio-Signature is missing or does not match this request');
    }
    const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : '');
    const reply = await this.reply(text('From'), text('Body'));
    const twiml = new twilio.twiml.MessagingResponse();
    twiml.message(reply);
    response.status(200).type('text/xml').send(twiml.toString());
  }

  private async reply(from: string, body: string): Promise<string> {
    const responder = this.acks.responderBySms(from);
    if (!responder) return 'Firebreak does not know this number: ask an admin to add it to runbooks/responders.ts.';
    const match = ACK_REPLY.exec(body.trim());
    if (!match) return 'To acknowledge, reply ACK and the incident code from the message, e.g. ACK 0123456789ab.';
    const incidentId = `inc-${match[1].toLowerCase()}`;
    try {
      const outcome = await this.acks.acknowledge(incidentId, responder, { responder, channel: 'sms' });
      switch (outcome.kind) {
        case 'acknowledged': {
          const incident = await this.acks.incident(incidentId).catch(() => undefined);
          return `Acknowledged ${incidentId}${incident ? `: ${truncateText(incident.title, TITLE_IN_REPLY)}` : ''}. Notifications for it have stopped.`;
        }
        case 'refused':
          return `Not acknowledged: ${truncateText(outcome.reason, REASON_IN_REPLY)}.`;
        case 'closed':
          return `${incidentId} is closed: nothing to acknowledge.`;
        case 'not-found':
          return `Unknown code: there is no incident ${incidentId}.`;
      }
    } catch (error) {
      if (!(error instanceof TemporalUnavailableError)) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return `Could not acknowledge ${incidentId} right now: please try again in a minute, or use the link.`;
    }
  }
}
