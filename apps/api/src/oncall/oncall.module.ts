import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { CalendarAccessGuard } from './calendar-access.guard';
import { OncallController } from './oncall.controller';
import { OncallService } from './oncall.service';
import { SchedulesController } from './schedules.controller';

/** On call: who is on call, schedules and their shifts, overrides, calendar feeds, notifications. */
@Module({ imports: [IncidentsModule], controllers: [OncallController, SchedulesController], providers: [OncallService, CalendarAccessGuard] })
export class OncallModule {}
