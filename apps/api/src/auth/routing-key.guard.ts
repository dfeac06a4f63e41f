import { BadRequestException, type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { mayDo, refusal } from '../../../../core/model/rights';
import { ApiKeyPrincipals } from './api-key-principals';
import type { AuthenticatedRequest } from './auth.guard';

/** PagerDuty's own words for a routing key it does not know (it answers 400, and senders do not retry). */
export const INVALID_ROUTING_KEY = 'Invalid routing key';

/**
 * PagerDuty senders put their key in the body as `routing_key` and cannot add a header: the
 * routing key is the API key. Looked up in the same key store as every other key; neither
 * the key nor its digest is ever echoed.
 */
@Injectable()
export class RoutingKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeyPrincipals) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = (request.body as { routing_key?: unknown } | undefined)?.routing_key;
    if (typeof key !== 'string' || key === '') throw new BadRequestException('routing_key: routing_key is required (a Firebreak API key)');
    const lookup = this.keys.principalForKey(key);
    if (lookup.found !== 'key') throw new BadRequestException(`routing_key: ${INVALID_ROUTING_KEY}`);
    // The same right as every other alert route's.
    if (!mayDo(lookup.principal, 'alerts.send')) throw new ForbiddenException(`routing_key: ${refusal(lookup.principal, 'alerts.send')}`);
    request.principal = lookup.principal;
    return true;
  }
}
