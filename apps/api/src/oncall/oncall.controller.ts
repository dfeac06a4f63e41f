import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.guard';
import { NotificationsDto, NotificationsQueryDto, OnCallDto, OnCallQueryDto } from './oncall.dto';
import { OncallService } from './oncall.service';

@ApiTags('on call')
@ApiBearerAuth()
@Controller('v1')
export class OncallController {
  constructor(private readonly oncall: OncallService) {}

  @Get('oncall')
  @Requires('oncall.read')
  @ApiResponse({ status: 200, type: OnCallDto, description: 'Who is on call at `at` (default now) on each schedule; `shift` is null where nobody is.' })
  @ApiResponse({ status: 404, description: 'No schedule of that id.' })
  onCall(@Query() query: OnCallQueryDto): Promise<OnCallDto> {
    return this.oncall.onCall(query);
  }

  @Get('notifications')
  @Requires('oncall.read')
  @ApiResponse({ status: 200, type: NotificationsDto, description: "The incident's notifications of people: whom, how, when, and the outcome." })
  @ApiResponse({ status: 400, description: 'incidentId is not an incident id.' })
  @ApiResponse({ status: 404, description: 'No such incident.' })
  notifications(@Query() query: NotificationsQueryDto): Promise<NotificationsDto> {
    return this.oncall.notifications(query.incidentId);
  }
}
