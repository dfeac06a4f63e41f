import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HeartbeatStatus } from '../../../../core/model/messages';
import { RequireRole } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { HeartbeatsService } from './heartbeats.service';

@ApiTags('heartbeats')
@ApiBearerAuth()
@Controller('v1/heartbeats')
export class HeartbeatsController {
  constructor(private readonly heartbeats: HeartbeatsService) {}

  @Post(':name')
  @HttpCode(202)
  @RequireRole('responder')
  @ApiResponse({ status: 202, description: 'Ping recorded.' })
  @ApiResponse({ status: 404, description: 'No monitor of that name in runbooks/heartbeats.ts.' })
  ping(@Param('name') name: string, @CurrentPrincipal() principal: Principal) {
    return this.heartbeats.ping(name, principal);
  }

  @Get(':name')
  @RequireRole('viewer')
  status(@Param('name') name: string): Promise<HeartbeatStatus> {
    return this.heartbeats.status(name);
  }
}
