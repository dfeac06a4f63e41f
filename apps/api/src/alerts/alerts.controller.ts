import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { AlertAcceptedDto, GenericAlertDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post()
  @HttpCode(202)
  @Requires('alerts.send')
  @ApiResponse({ status: 202, type: AlertAcceptedDto, description: 'Durable: recorded on its incident, or queued durably during an alert storm (see `status`).' })
  @ApiResponse({ status: 400, description: 'The body broke a rule; `issues` names each field.' })
  @ApiResponse({ status: 503, description: 'Temporal did not confirm the alert in time; retry after `Retry-After` (with the same Idempotency-Key, it is recorded once).' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Optional. A redelivery with the same key is recorded once.' })
  receive(
    @Body() body: GenericAlertDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('Idempotency-Key') idempotencyKey?: string,
  ): Promise<AlertAcceptedDto> {
    return this.alerts.receiveGeneric(body, principal, idempotencyKey?.slice(0, 200));
  }
}
