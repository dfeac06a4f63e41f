import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.guard';
import { RecordUnavailableFilter } from './record-unavailable.filter';
import { RecordService } from './record.service';
import {
  reportRange,
  ResponseReportDto,
  ResponseReportQueryDto,
  RunbookReportDto,
  RunbookReportQueryDto,
} from './reports.dto';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@UseFilters(RecordUnavailableFilter)
export class ReportsController {
  constructor(private readonly record: RecordService) {}

  @Get('response')
  @Requires('reports.read')
  @ApiResponse({ status: 200, type: ResponseReportDto, description: 'Incidents opened and MTTA, MTTM, MTTR (p50, p90, mean, seconds) per bucket, from the record.' })
  @ApiResponse({ status: 503, description: 'The record is down; see Retry-After.' })
  async response(@Query() query: ResponseReportQueryDto): Promise<ResponseReportDto> {
    const range = reportRange(query);
    const buckets = await this.record.store.responseReport({ ...range, by: query.by, interval: query.interval });
    return { ...range, interval: query.interval, ...(query.by ? { by: query.by } : {}), buckets };
  }

  @Get('runbooks')
  @Requires('reports.read')
  @ApiResponse({ status: 200, type: RunbookReportDto, description: 'Per runbook: executions, success rate, p50 duration, approvals waited, compensations run.' })
  @ApiResponse({ status: 503, description: 'The record is down; see Retry-After.' })
  async runbooks(@Query() query: RunbookReportQueryDto): Promise<RunbookReportDto> {
    const range = reportRange(query);
    return { ...range, runbooks: await this.record.store.runbookReport(range) };
  }
}
