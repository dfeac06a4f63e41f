import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { CSRF_HEADER } from '../../../../core/schemas/session-api';
import { type Session, SessionService } from '../session/session.service';
import { ApiKeyPrincipals } from './api-key-principals';
import type { Principal } from './principal';

/** Methods that change something: with the session cookie, they need the CSRF header. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const NO_CREDENTIALS =
  'Authorization header must be "Bearer <api key>" (or Basic with the key as password), or sign in to the console (POST /v1/session)';

/**
 * Who is calling: the API key of the `Authorization` header, or else the console session of
 * the cookie. A request with the cookie that changes something must also carry the session's
 * CSRF token in `X-CSRF-Token` (a key in a header is never sent by a browser on its own, so
 * key requests need none).
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyPrincipals,
    private readonly sessions: SessionService,
  ) {}

  /** The caller, or 401 (no or unknown credentials) / 403 (cookie without its CSRF token). */
  async authenticate(request: Request): Promise<{ principal: Principal; session?: Session }> {
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const lookup = this.keys.principalFor(header);
      if (lookup.found === 'none') throw new UnauthorizedException(NO_CREDENTIALS);
      if (lookup.found === 'unknown') throw new UnauthorizedException('unknown API key');
      return { principal: lookup.principal };
    }
    const read = await this.sessions.read(request);
    if (read.state === 'none') throw new UnauthorizedException(NO_CREDENTIALS);
    if (read.state === 'invalid') throw new UnauthorizedException(read.reason);
    const { session } = read;
    if (MUTATING.has(request.method.toUpperCase()) && !this.sessions.csrfMatches(session, request.headers[CSRF_HEADER.toLowerCase()])) {
      throw new ForbiddenException(
        `a request made with the console session cookie that changes something must send the ${CSRF_HEADER} header with the session's csrfToken (from POST or GET /v1/session)`,
      );
    }
    return { principal: session.principal, session };
  }
}
