import { Body, Catch, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from 'nestjs-zod';
import { PagerDutyEventSchema, type PagerDutyEvent } from '../../../../core/schemas/alert-sources/pagerduty';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Public } from '../auth/public.decorator';
import { RoutingKeyGuard } from '../auth/routing-key.guard';
import type { ErrorBody } from '../http/failures';
import { PAGERDUTY_EVENT_OPENAPI, PagerDutyAcceptedDto, PagerDutyInvalidDto } from './alert-formats.dto';
import { AlertFormatsService } from './alert-formats.service';
import { ruleTexts, VendorErrorAnswers } from './vendor-error-answers';

/** Errors as PagerDuty's Events API writes them: `{ status, message, errors[] }`. */
@Catch()
export class PagerDutyErrorAnswers extends VendorErrorAnswers {
  protected answer(body: ErrorBody) {
    const invalid = body.statusCode === 400;
    return {
      status: body.statusCode,
      body: {
        status: invalid ? 'invalid event' : body.error,
        message: invalid && body.issues ? 'Event object is invalid' : body.message,
        errors: ruleTexts(body),
      },
    };
  }
}

@ApiTags('alerts')
@Controller('v1/alerts')
@UseFilters(PagerDutyErrorAnswers)
export class PagerDutyAlertsController {
  constructor(private readonly formats: AlertFormatsService) {}

  /**
   * PagerDuty Events API v2 (`/v2/enqueue`): trigger, acknowledge and resolve. No
   * Authorization header: the body's `routing_key` is the API key (role responder).
   */
  @Post('pagerduty')
  @HttpCode(202)
  @Public("PagerDuty senders put the API key in the body's routing_key", { checks: 'alerts.send' })
  @UseGuards(RoutingKeyGuard)
  @ApiBody({ schema: PAGERDUTY_EVENT_OPENAPI as object, description: 'A PagerDuty Events API v2 alert event; `routing_key` is a Firebreak API key.' })
  @ApiResponse({ status: 202, type: PagerDutyAcceptedDto, description: 'Durable, as PagerDuty answers: `{ status: "success", message, dedup_key }`.' })
  @ApiResponse({ status: 400, type: PagerDutyInvalidDto, description: 'A malformed event (`errors` names each field), or a routing key that is not a Firebreak API key.' })
  @ApiResponse({ status: 403, type: PagerDutyInvalidDto, description: 'The routing key\'s role is below responder.' })
  @ApiResponse({ status: 503, type: PagerDutyInvalidDto, description: 'Temporal did not confirm in time; retry after `Retry-After` (the same event is recorded once).' })
  receive(@Body(new ZodValidationPipe(PagerDutyEventSchema)) event: PagerDutyEvent, @CurrentPrincipal() principal: Principal): Promise<PagerDutyAcceptedDto> {
    return this.formats.pagerDuty(event, principal);
  }
}
