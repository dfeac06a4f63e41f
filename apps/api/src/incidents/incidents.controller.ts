import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncidentSnapshot } from '../../../../core/incident';
import { RequireRole } from '../auth/auth.guard';
import { IncidentPageDto, ListIncidentsQueryDto } from './incidents.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @RequireRole('viewer')
  @ApiResponse({ status: 200, type: IncidentPageDto })
  list(@Query() query: ListIncidentsQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list(query);
  }

  @Get(':id')
  @RequireRole('viewer')
  @ApiResponse({ status: 200, description: 'The incident: status, severity, alerts and timeline.' })
  @ApiResponse({ status: 404, description: 'No such incident.' })
  get(@Param('id') id: string): Promise<IncidentSnapshot> {
    return this.incidents.get(id);
  }
}
