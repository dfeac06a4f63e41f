import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Catch, Controller, HttpCode, HttpStatus, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from 'nestjs-zod';
import { describeIssues } from '../../../../core/model/validation-issues';
import {
  OpsgenieCloseAlertSchema,
  OpsgenieCloseQuerySchema,
  OpsgenieCreateAlertSchema,
  type OpsgenieCloseAlert,
  type OpsgenieCreateAlert,
} from '../../../../core/schemas/alert-sources/opsgenie';
import { AcceptGenieKey, Requires } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { ErrorBody } from '../http/failures';
import { OpsgenieAcceptedDto, OpsgenieCloseAlertDto, OpsgenieCreateAlertDto, OpsgenieErrorDto } from './alert-formats.dto';
import { AlertFormatsService } from './alert-formats.service';
import { VendorErrorAnswers } from './vendor-error-answers';

/**
 * Errors as Opsgenie's Alert API writes them: `{ message, took, requestId }`, and for a
 * body that breaks rules 422 with `errors` by field, as Opsgenie answers.
 */
@Catch()
export class OpsgenieErrorAnswers extends VendorErrorAnswers {
  protected answer(body: ErrorBody) {
    const requestId = randomUUID();
    if (body.issues?.length) {
      return {
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        body: {
          message: `Request body is not processable: ${body.message}`,
          errors: Object.fromEntries(body.issues.map((issue) => [issue.path, issue.message])),
          took: 0,
          requestId,
        },
      };
    }
    return { status: body.statusCode, body: { message: body.message, took: 0, requestId } };
  }
}

@ApiTags('alerts')
@ApiSecurity('GenieKey')
@Controller('v1/alerts/opsgenie')
@UseFilters(OpsgenieErrorAnswers)
export class OpsgenieAlertsController {
  constructor(private readonly formats: AlertFormatsService) {}

  /** Opsgenie Alert API v2's create (`POST /v2/alerts`). `Authorization: GenieKey <key>` (or Bearer). */
  @Post()
  @HttpCode(202)
  @Requires('alerts.send')
  @AcceptGenieKey()
  @ApiBody({ type: OpsgenieCreateAlertDto })
  @ApiResponse({ status: 202, type: OpsgenieAcceptedDto, description: 'Durable, as Opsgenie answers: `{ result, took, requestId }`.' })
  @ApiResponse({ status: 422, type: OpsgenieErrorDto, description: 'The body broke a rule; `errors` names each field.' })
  create(@Body(new ZodValidationPipe(OpsgenieCreateAlertSchema)) body: OpsgenieCreateAlert, @CurrentPrincipal() principal: Principal): Promise<OpsgenieAcceptedDto> {
    return this.formats.opsgenieCreate(body, principal);
  }

  /** Opsgenie's close (`POST /v2/alerts/:identifier/close`), by alias: resolves the alias's incident. */
  @Post(':alias/close')
  @HttpCode(202)
  @Requires('alerts.send')
  @AcceptGenieKey()
  @ApiParam({ name: 'alias', description: 'The alert\'s alias (or, for an alert created without one, its message).' })
  @ApiQuery({ name: 'identifierType', required: false, enum: ['alias'], description: 'Only `alias`; absent reads as alias.' })
  @ApiBody({ type: OpsgenieCloseAlertDto, required: false })
  @ApiResponse({ status: 202, type: OpsgenieAcceptedDto, description: 'Durable; `reason` says when there was nothing open to close.' })
  @ApiResponse({ status: 400, type: OpsgenieErrorDto, description: 'An identifierType other than alias.' })
  close(
    @Param('alias') alias: string,
    @Query() query: Record<string, unknown>,
    @Body(new ZodValidationPipe(OpsgenieCloseAlertSchema.optional())) body: OpsgenieCloseAlert | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OpsgenieAcceptedDto> {
    const parsed = OpsgenieCloseQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeIssues(parsed.error.issues));
    return this.formats.opsgenieClose(alias, body ?? {}, principal);
  }
}
