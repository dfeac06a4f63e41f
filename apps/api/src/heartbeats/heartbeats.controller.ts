import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { type HeartbeatView, HeartbeatsService } from './heartbeats.service';

@ApiTags('heartbeats')
@ApiBearerAuth()
@Controller('v1/heartbeats')
export class HeartbeatsController {
  constructor(private readonly heartbeats: HeartbeatsService) {}

  @Post(':name')
  @HttpCode(202)
  @Requires('heartbeats.ping')
  @ApiResponse({ status: 202, description: 'Ping recorded.' })
  @ApiResponse({ status: 404, description: 'No monitor of that name in runbooks/heartbeats.ts.' })
  ping(@Param('name') name: string, @CurrentPrincipal() principal: Principal) {
    return this.heartbeats.ping(name, principal);
  }

  @Get()
  @Requires('heartbeats.read')
  @ApiResponse({ status: 200, description: 'Every monitor in runbooks/heartbeats.ts with its state, as GET /v1/heartbeats/:name gives it.' })
  list(): Promise<{ heartbeats: HeartbeatView[] }> {
    return this.heartbeats.list();
  }

  @Get(':name')
  @Requires('heartbeats.read')
  @ApiResponse({ status: 200, description: 'Pings, the last one, the deadline it sets, the incident open for a silence.' })
  status(@Param('name') name: string): Promise<HeartbeatView> {
    return this.heartbeats.status(name);
  }
}
