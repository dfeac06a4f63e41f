import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  /** The process is up. */
  @Get('healthz')
  @Public('a liveness probe, answering nothing but ok')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The API can do its work: Temporal answered the latest probe (at most `READYZ_CACHE_MS` old). */
  @Get('readyz')
  @Public('a readiness probe, saying only whether Temporal is reachable')
  @ApiResponse({ status: 200, description: 'Temporal is reachable.' })
  @ApiResponse({ status: 503, description: 'Temporal is not reachable.' })
  async readyz(): Promise<{ status: 'ready'; temporal: 'reachable' }> {
    if (!(await this.readiness.isReady())) {
      throw new ServiceUnavailableException('not ready: Temporal is not reachable');
    }
    return { status: 'ready', temporal: 'reachable' };
  }
}
