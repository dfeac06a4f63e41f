import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { Authenticator } from '../auth/authenticator';
import { mayDo, refusal } from '../../../../core/model/rights';
import { OncallService } from './oncall.service';

/**
 * A calendar feed is read with an API key (or a console session) of a viewer or above, or
 * with the schedule's own feed token in `?token=` for calendar apps, which cannot send a
 * header. A token opens its one schedule's feed only; an API key never goes in a URL.
 */
@Injectable()
export class CalendarAccessGuard implements CanActivate {
  constructor(
    private readonly oncall: OncallService,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const token = request.query.token;
    if (typeof token === 'string' && token !== '') {
      if (this.oncall.isFeedToken(String(request.params.id), token)) return true;
      throw new UnauthorizedException("token is not this schedule's calendar feed token (see calendar.token of GET /v1/schedules/:id)");
    }
    if (!request.headers.authorization && !request.headers.cookie) {
      throw new UnauthorizedException('send "Authorization: Bearer <api key>", or ?token= with the schedule\'s calendar feed token');
    }
    const { principal } = await this.authenticator.authenticate(request);
    if (!mayDo(principal, 'oncall.read')) throw new ForbiddenException(refusal(principal, 'oncall.read'));
    return true;
  }
}
