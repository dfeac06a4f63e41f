import {
  CalendarQuerySchema,
  CreateOverrideSchema,
  NotificationsQuerySchema,
  NotificationsSchema,
  OnCallQuerySchema,
  OnCallSchema,
  OverrideViewSchema,
  ScheduleDetailSchema,
  ScheduleListSchema,
  ScheduleWindowQuerySchema,
} from '../../../../core/schemas/oncall-api';
import { createApiDto } from '../http/api-dto';

export class OnCallQueryDto extends createApiDto(OnCallQuerySchema) {}
export class OnCallDto extends createApiDto(OnCallSchema) {}
export class ScheduleListDto extends createApiDto(ScheduleListSchema) {}
export class ScheduleWindowQueryDto extends createApiDto(ScheduleWindowQuerySchema) {}
export class ScheduleDetailDto extends createApiDto(ScheduleDetailSchema) {}
export class CreateOverrideDto extends createApiDto(CreateOverrideSchema) {}
export class OverrideDto extends createApiDto(OverrideViewSchema) {}
export class CalendarQueryDto extends createApiDto(CalendarQuerySchema) {}
export class NotificationsQueryDto extends createApiDto(NotificationsQuerySchema) {}
export class NotificationsDto extends createApiDto(NotificationsSchema) {}
