import { Controller, Get, Header } from '@nestjs/common';
import { ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { StatusPageSnapshot } from '../../../../core/capabilities/status-page';
import { renderStatusPage } from './status-page.html';
import { StatusService } from './status.service';

/** The public status page: no authentication, as stakeholders and customers read it. */
@ApiTags('status')
@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get('status')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The status page as HTML: components, current incidents, recent history.' })
  async page(): Promise<string> {
    return renderStatusPage(await this.status.snapshot());
  }

  @Get('status.json')
  @Header('cache-control', 'no-cache')
  @ApiResponse({ status: 200, description: 'The status page as JSON (overall, components, activeIncidents, resolvedIncidents).' })
  json(): Promise<StatusPageSnapshot> {
    return this.status.snapshot();
  }
}
