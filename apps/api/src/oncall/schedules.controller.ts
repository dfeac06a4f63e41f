import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Override } from '../../../../core/model/oncall/types';
import { Public, Requires } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CalendarAccessGuard } from './calendar-access.guard';
import { CalendarQueryDto, CreateOverrideDto, OverrideDto, ScheduleDetailDto, ScheduleListDto, ScheduleWindowQueryDto } from './oncall.dto';
import { OncallService } from './oncall.service';

@ApiTags('on call')
@ApiBearerAuth()
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly oncall: OncallService) {}

  @Get()
  @Requires('oncall.read')
  @ApiResponse({ status: 200, type: ScheduleListDto, description: 'Every schedule: id, name, time zone and layers (no contact details).' })
  list(): ScheduleListDto {
    return this.oncall.listSchedules();
  }

  @Get(':id')
  @Requires('oncall.read')
  @ApiResponse({ status: 200, type: ScheduleDetailDto, description: "The shifts over the window, overrides applied, each with its source; the overrides that have not ended; the calendar feed's URL." })
  @ApiResponse({ status: 400, description: 'A time is not ISO 8601, or the window is empty or longer than 90 days (names `to`).' })
  @ApiResponse({ status: 404, description: 'No schedule of that id.' })
  get(@Param('id') id: string, @Query() query: ScheduleWindowQueryDto): Promise<ScheduleDetailDto> {
    return this.oncall.scheduleWindow(id, query);
  }

  @Post(':id/overrides')
  @HttpCode(201)
  @Requires('schedule.override')
  @ApiResponse({ status: 201, type: OverrideDto, description: 'Held by the schedule; /v1/oncall shows it from now on.' })
  @ApiResponse({ status: 400, description: 'Names the field: an unknown responder, a time not ISO 8601, `from` more than a minute past, `to` past, not after `from`, or more than 31 days after it.' })
  @ApiResponse({ status: 404, description: 'No schedule of that id.' })
  @ApiResponse({ status: 409, description: 'The schedule already holds 500 overrides.' })
  addOverride(@Param('id') id: string, @Body() body: CreateOverrideDto, @CurrentPrincipal() principal: Principal): Promise<Override> {
    return this.oncall.addOverride(id, body, principal);
  }

  @Delete(':id/overrides/:overrideId')
  @HttpCode(204)
  @Requires('schedule.override')
  @ApiResponse({ status: 204, description: 'Removed.' })
  @ApiResponse({ status: 404, description: 'No schedule, or no override, of that id.' })
  async removeOverride(@Param('id') id: string, @Param('overrideId') overrideId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.oncall.removeOverride(id, overrideId, principal);
  }

  @Get(':id/calendar.ics')
  @Public("calendar apps send the schedule's feed token in ?token=; an API key or console session works too", { checks: 'oncall.read' })
  @UseGuards(CalendarAccessGuard)
  @Header('Referrer-Policy', 'no-referrer')
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'iCalendar (RFC 5545): one event per shift, naming the responder and the source, with a UID that stays the same for the same shift.' })
  @ApiResponse({ status: 401, description: 'Neither an API key nor this schedule\'s feed token.' })
  @ApiResponse({ status: 404, description: 'No schedule of that id.' })
  async calendar(@Param('id') id: string, @Query() query: CalendarQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const calendar = await this.oncall.calendar(id, query);
    // Set here, not by decorator: an error is answered as JSON.
    response.set({ 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, max-age=300' });
    return calendar;
  }
}
