import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Requires, RequiresRunbookLaunchRight } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ExecutionListService } from './execution-list.service';
import { ApproveDto, ExecutionCreatedDto, ExecutionPageDto, LaunchRunbookDto, ListExecutionsQueryDto, RejectDto } from './runbooks.dto';
import { RunbooksService } from './runbooks.service';

@ApiTags('runbooks')
@ApiBearerAuth()
@Controller('v1')
export class RunbooksController {
  constructor(
    private readonly runbooks: RunbooksService,
    private readonly executions: ExecutionListService,
  ) {}

  @Get('runbooks')
  @Requires('runbooks.read')
  @ApiResponse({ status: 200, description: 'Each runbook with its input JSON Schema, triggers, guardrails, the capabilities it uses and the operations its plan may call (custom ones with their schemas).' })
  list() {
    return this.runbooks.list();
  }

  @Post('runbooks/:name/executions')
  @HttpCode(201)
  @RequiresRunbookLaunchRight()
  @ApiResponse({ status: 201, type: ExecutionCreatedDto })
  @ApiResponse({ status: 400, description: 'The input broke the runbook\'s schema; `issues` names each field (input.…).' })
  @ApiResponse({ status: 404, description: 'No such runbook or incident.' })
  launch(@Param('name') name: string, @Body() body: LaunchRunbookDto, @CurrentPrincipal() principal: Principal): Promise<ExecutionCreatedDto> {
    return this.runbooks.launch(name, body, principal);
  }

  @Get('executions')
  @Requires('runbooks.read')
  @ApiResponse({ status: 200, type: ExecutionPageDto, description: 'Executions, running ones first; `nextCursor` pages on.' })
  @ApiResponse({ status: 400, description: 'A filter broke its rule; `issues` names it.' })
  listExecutions(@Query() query: ListExecutionsQueryDto): Promise<ExecutionPageDto> {
    return this.executions.list(query);
  }

  @Get('executions/:id')
  @Requires('runbooks.read')
  @ApiResponse({ status: 200, description: 'Status, current step, each step\'s attempts and result, pending approval, outcome; `plan` for a dry run.' })
  get(@Param('id') id: string) {
    return this.runbooks.get(id);
  }

  @Post('executions/:id/approve')
  @HttpCode(200)
  @Requires('execution.approve')
  @ApiResponse({ status: 403, description: 'Your role may not decide this approval; the message says who may.' })
  @ApiResponse({ status: 409, description: 'Nothing is waiting for approval.' })
  approve(@Param('id') id: string, @Body() body: ApproveDto, @CurrentPrincipal() principal: Principal) {
    return this.runbooks.decide(id, true, body.comment, principal);
  }

  @Post('executions/:id/reject')
  @HttpCode(200)
  @Requires('execution.approve')
  reject(@Param('id') id: string, @Body() body: RejectDto, @CurrentPrincipal() principal: Principal) {
    return this.runbooks.decide(id, false, body.comment, principal);
  }

  @Post('executions/:id/cancel')
  @HttpCode(202)
  @Requires('execution.cancel')
  @ApiResponse({ status: 202, description: 'Cancelling: completed steps\' compensations run in reverse.' })
  cancel(@Param('id') id: string) {
    return this.runbooks.cancel(id);
  }
}
