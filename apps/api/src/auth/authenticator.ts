import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { CSRF_HEADER } from '../../../../core/schemas/session-api';
import { type Session, SessionService } from '../session/session.service';
import { ApiKeyPrincipals, type KeySchemes } from './api-key-principals';
import type { Principal } from './principal';

/** Methods that change something: with the session cookie, they need the CSRF header. */
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const NO_CREDENTIALS = 'Authorization header must be "Bearer <api key>", or sign in to the console (POST /v1/session)';

/** Basic is refused by name: a sender set up with it before learns what to send instead. */
const BASIC_REFUSED =
  'HTTP Basic authentication is not accepted: send "Authorization: Bearer <api key>" (Alertmanager: http_config.authorization.credentials)';

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
  async authenticate(request: Request, schemes: KeySchemes = {}): Promise<{ principal: Principal; session?: Session }> {
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      const lookup = this.keys.principalFor(header, schemes);
      if (lookup.found === 'none') {
        if (/^Basic(\s|$)/i.test(header)) throw new UnauthorizedException(BASIC_REFUSED);
        throw new UnauthorizedException(schemes.genieKey ? `${NO_CREDENTIALS}, or "GenieKey <api key>"` : NO_CREDENTIALS);
      }
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
