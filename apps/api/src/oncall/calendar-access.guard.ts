import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKey } from '../../../../core/schemas/config';
import { digest, presentedKey } from '../auth/auth.guard';
import { hasRole } from '../auth/principal';
import { API_KEYS } from '../tokens';
import { OncallService } from './oncall.service';

/**
 * A calendar feed is read with an API key of a viewer or above, or with the
 * schedule's own feed token in `?token=` for calendar apps, which cannot send a header. A
 * token opens its one schedule's feed only; an API key never goes in a URL.
 */
@Injectable()
export class CalendarAccessGuard implements CanActivate {
  private readonly roles: Map<string, ApiKey['role']>;

  constructor(
    private readonly oncall: OncallService,
    @Inject(API_KEYS) keys: ApiKey[],
  ) {
    this.roles = new Map(keys.map(({ key, role }) => [digest(key), role]));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = request.query.token;
    if (typeof token === 'string' && token !== '') {
      if (this.oncall.isFeedToken(String(request.params.id), token)) return true;
      throw new UnauthorizedException("token is not this schedule's calendar feed token (see calendar.token of GET /v1/schedules/:id)");
    }
    const key = presentedKey(request.headers.authorization ?? '');
    if (!key) throw new UnauthorizedException('send "Authorization: Bearer <api key>", or ?token= with the schedule\'s calendar feed token');
    const role = this.roles.get(digest(key));
    if (!role) throw new UnauthorizedException('unknown API key');
    if (!hasRole({ name: '', role }, 'viewer')) throw new ForbiddenException(`reading a calendar needs the viewer role; this key is ${role}`);
    return true;
  }
}
