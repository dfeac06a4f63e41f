import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { TemporalService } from '../temporal/temporal.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly temporal: TemporalService) {}

  /** The process is up. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The API can do its work: Temporal answers. */
  @Get('readyz')
  @ApiResponse({ status: 200, description: 'Temporal is reachable.' })
  @ApiResponse({ status: 503, description: 'Temporal is not reachable.' })
  async readyz(): Promise<{ status: 'ready'; temporal: 'reachable' }> {
    if (!(await this.temporal.isReachable())) {
      throw new ServiceUnavailableException('not ready: Temporal is not reachable');
    }
    return { status: 'ready', temporal: 'reachable' };
  }
}
