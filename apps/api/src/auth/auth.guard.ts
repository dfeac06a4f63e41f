import { createHash } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKey, Role } from '../../../../core/config';
import { API_KEYS } from '../tokens';
import { hasRole, type Principal } from './principal';

const ROLE_KEY = 'firebreak:role';

/** The least role a route needs. Routes without it are public (health, status page, docs). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

export type AuthenticatedRequest = Request & { principal: Principal };

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Bearer-key authentication. Keys are looked up by their SHA-256 digest, so the time a
 * lookup takes says nothing about how much of a guessed key was right.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly byDigest: Map<string, Principal>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) keys: ApiKey[],
  ) {
    this.byDigest = new Map(keys.map(({ name, role, key }) => [digest(key), { name, role }]));
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedException('Authorization header must be "Bearer <api key>"');
    const principal = this.byDigest.get(digest(match[1]));
    if (!principal) throw new UnauthorizedException('unknown API key');
    if (!hasRole(principal, required)) {
      throw new ForbiddenException(`this route needs the ${required} role; key "${principal.name}" is ${principal.role}`);
    }
    request.principal = principal;
    return true;
  }
}
