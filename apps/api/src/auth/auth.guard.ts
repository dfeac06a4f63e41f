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
import type { ApiKey, Role } from '../../../../core/schemas/config';
import { API_KEYS } from '../tokens';
import { hasRole, type Principal } from './principal';

const ROLE_KEY = 'firebreak:role';

/** The least role a route needs. Routes without it are public (health, status page, docs). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

export type AuthenticatedRequest = Request & { principal: Principal };

export const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * The API key a request presents: `Bearer <key>`, or HTTP Basic with the key as the
 * password (what Alertmanager's `basic_auth` and SNS subscription URLs can send).
 */
export function presentedKey(header: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : undefined;
}

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
    const key = presentedKey(request.headers.authorization ?? '');
    if (!key) throw new UnauthorizedException('Authorization header must be "Bearer <api key>" (or Basic with the key as password)');
    const principal = this.byDigest.get(digest(key));
    if (!principal) throw new UnauthorizedException('unknown API key');
    if (!hasRole(principal, required)) {
      throw new ForbiddenException(`this route needs the ${required} role; key "${principal.name}" is ${principal.role}`);
    }
    request.principal = principal;
    return true;
  }
}
