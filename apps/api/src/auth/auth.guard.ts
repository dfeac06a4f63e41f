import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../../../../core/schemas/config';
import type { Session } from '../session/session.service';
import { Authenticator } from './authenticator';
import { hasRole, type Principal } from './principal';

export { digest, presentedKey } from './api-key-principals';

const ROLE_KEY = 'firebreak:role';

/** The least role a route needs. Routes without it are public (health, status page, docs). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

/** A request past {@link AuthGuard}: its principal, and its console session when the cookie authenticated it. */
export type AuthenticatedRequest = Request & { principal: Principal; session?: Session };

/**
 * Authentication and roles on every route that names a role: an API key, or the console's
 * session cookie with the same role rules (see {@link Authenticator}).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { principal, session } = await this.authenticator.authenticate(request);
    if (!hasRole(principal, required)) {
      throw new ForbiddenException(`this route needs the ${required} role; key "${principal.name}" is ${principal.role}`);
    }
    request.principal = principal;
    if (session) request.session = session;
    return true;
  }
}
