import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.guard';
import { DeliveriesDto, DeliveriesQueryDto, RetryAcceptedDto, SubscriptionsDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Requires('webhooks.manage')
  @ApiResponse({ status: 200, type: SubscriptionsDto, description: 'The subscriptions in runbooks/webhooks.ts (never a secret) with their queues and counters.' })
  subscriptions(): Promise<SubscriptionsDto> {
    return this.webhooks.subscriptions();
  }

  @Get('deliveries')
  @Requires('webhooks.manage')
  @ApiResponse({ status: 200, type: DeliveriesDto, description: 'Failed and recently delivered deliveries, newest first.' })
  @ApiResponse({ status: 400, description: 'status is not failed or delivered, or subscription names none in runbooks/webhooks.ts.' })
  deliveries(@Query() query: DeliveriesQueryDto): Promise<DeliveriesDto> {
    return this.webhooks.deliveries(query);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @Requires('webhooks.manage')
  @ApiResponse({ status: 202, type: RetryAcceptedDto, description: 'Queued again, with the same webhook-id and body, behind the events waiting.' })
  @ApiResponse({ status: 404, description: 'No failed delivery of that id.' })
  @ApiResponse({ status: 409, description: 'Delivered already, pending already, or the queue is full.' })
  retry(@Param('id') id: string): Promise<RetryAcceptedDto> {
    return this.webhooks.retry(id);
  }
}
