import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiKey, Config, Role } from '../../../../core/schemas/config';
import type { SessionAnswer } from '../../../../core/schemas/session-api';
import { AckSecretService } from '../ack/ack-secret.service';
import { digest, keyDigest } from '../auth/api-key-principals';
import type { Principal } from '../auth/principal';
import { API_KEYS, CONFIG } from '../tokens';
import { EndedSessions } from './ended-sessions';
import { PERSON_PREFIX } from './oidc-claims';
import { flowKeyFrom } from './oidc-flow';
import {
  cookieValue,
  csrfTokenOf,
  hmac,
  keyDigestTag,
  keyTag,
  newSessionId,
  sameSecret,
  sessionKeyFrom,
  type SessionClaims,
  signSessionCookie,
  verifySessionCookie,
} from './session-cookie';

const HOUR_MS = 60 * 60 * 1000;

/** A signed-in console session, checked. */
export interface Session {
  claims: SessionClaims;
  principal: Principal;
}

/** What a request's session cookie says: none sent, one that no longer works (and why), or a session. */
export type SessionRead = { state: 'none' } | { state: 'invalid'; reason: string } | { state: 'valid'; session: Session };

/**
 * Console sessions: an API key exchanged for a signed, `HttpOnly`, `SameSite=Strict` cookie
 * that lasts `SESSION_TTL_HOURS`. A session works while it has not expired, has not been
 * signed out, and its key is still configured with the same name and role. A person signed
 * in through single sign-on gets the same cookie, tagged with the identity provider instead
 * of a key: it works while that provider and client are configured and still map some claim
 * value to the session's role.
 */
@Injectable()
export class SessionService {
  /** Over HTTPS the cookie is `Secure` and takes the `__Host-` prefix (no Domain, Path=/). */
  readonly secure: boolean;
  readonly cookieName: string;
  private keys?: { sessionKey: string; byTag: Map<string, ApiKey>; personTag?: string };

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(API_KEYS) private readonly apiKeys: ApiKey[],
    private readonly ackSecret: AckSecretService,
    private readonly ended: EndedSessions,
  ) {
    this.secure = config.publicUrl.startsWith('https:');
    this.cookieName = this.secure ? '__Host-firebreak_session' : 'firebreak_session';
  }

  /** The session key and the configured keys by tag, made on first use (reading the ack secret). */
  private get signing() {
    if (!this.keys) {
      const sessionKey = sessionKeyFrom(this.ackSecret.value);
      const { oidc } = this.config;
      this.keys = {
        sessionKey,
        byTag: new Map(this.apiKeys.map((entry) => [keyDigestTag(sessionKey, keyDigest(entry)), entry])),
        // Names the identity provider and client, as a key tag names a key: another provider's sessions stop working.
        personTag: oidc ? hmac(sessionKey, `oidc:${oidc.issuer}\n${oidc.clientId}`).slice(0, 22) : undefined,
      };
    }
    return this.keys;
  }

  /** Opens a session for a configured key: the cookie to set and the answer; undefined for an unknown key. */
  open(apiKey: string, nowMs = Date.now()): { cookie: string; answer: SessionAnswer } | undefined {
    const { sessionKey, byTag } = this.signing;
    const tag = keyTag(sessionKey, apiKey);
    const entry = byTag.get(tag);
    if (!entry || !sameSecret(keyDigest(entry), digest(apiKey))) return undefined;
    const claims: SessionClaims = {
      id: newSessionId(),
      name: entry.name,
      role: entry.role,
      keyTag: tag,
      issuedAt: nowMs,
      expiresAt: nowMs + this.config.sessionTtlHours * HOUR_MS,
    };
    return { cookie: this.sign(claims), answer: this.answer(claims) };
  }

  /** Opens a session for a person the identity provider vouched for (`oidc:<name>`), with the role their claims map to. */
  openPerson(name: string, role: Role, nowMs = Date.now()): { cookie: string; answer: SessionAnswer } {
    const { personTag } = this.signing;
    if (!personTag || !name.startsWith(PERSON_PREFIX)) throw new Error('single sign-on is not configured, or the name is not a person\'s');
    const claims: SessionClaims = {
      id: newSessionId(),
      name,
      role,
      keyTag: personTag,
      issuedAt: nowMs,
      expiresAt: nowMs + this.config.sessionTtlHours * HOUR_MS,
    };
    return { cookie: this.sign(claims), answer: this.answer(claims) };
  }

  /** Signs the state a single sign-on keeps between its start and the provider's redirect back. */
  get flowKey(): string {
    return flowKeyFrom(this.signing.sessionKey);
  }

  /** A cookie for `claims`, signed as the API signs them (tests sign expired ones with it). */
  sign(claims: SessionClaims): string {
    return signSessionCookie(this.signing.sessionKey, claims);
  }

  answer(claims: SessionClaims): SessionAnswer {
    return {
      name: claims.name,
      role: claims.role,
      expiresAt: new Date(claims.expiresAt).toISOString(),
      csrfToken: csrfTokenOf(this.signing.sessionKey, claims.id),
    };
  }

  /** The session of a request's cookie. A session that cannot be checked (Temporal unreachable) throws: 503. */
  async read(request: Request): Promise<SessionRead> {
    const cookie = cookieValue(request.headers.cookie, this.cookieName);
    if (cookie === undefined || cookie === '') return { state: 'none' };
    const check = verifySessionCookie(this.signing.sessionKey, cookie, Date.now());
    if (!check.ok) {
      return { state: 'invalid', reason: check.reason === 'expired' ? 'the session has expired; sign in again' : 'the session cookie is not valid; sign in again' };
    }
    const { claims } = check;
    if (claims.keyTag === this.signing.personTag) return this.readPerson(claims);
    const entry = this.signing.byTag.get(claims.keyTag);
    if (!entry || entry.name !== claims.name || entry.role !== claims.role) {
      return { state: 'invalid', reason: 'the API key this session was opened with is no longer configured as it was; sign in again' };
    }
    if (await this.ended.hasEnded(claims.id, claims.issuedAt)) return { state: 'invalid', reason: 'the session was signed out; sign in again' };
    return { state: 'valid', session: { claims, principal: { name: entry.name, role: entry.role } } };
  }

  private async readPerson(claims: SessionClaims): Promise<SessionRead> {
    const stillMapped = this.config.oidc?.roles.some((mapping) => mapping.role === claims.role) ?? false;
    if (!claims.name.startsWith(PERSON_PREFIX) || !stillMapped) {
      return { state: 'invalid', reason: 'single sign-on no longer gives this session\'s role; sign in again' };
    }
    if (await this.ended.hasEnded(claims.id, claims.issuedAt)) return { state: 'invalid', reason: 'the session was signed out; sign in again' };
    return { state: 'valid', session: { claims, principal: { name: claims.name, role: claims.role } } };
  }

  /**
   * The key name a request's cookie was signed in with, by its signature and expiry alone
   * (no sign-out check: for counting requests against the key's rate limit, not for access).
   */
  keyNameOf(request: Request): string | undefined {
    const cookie = cookieValue(request.headers.cookie, this.cookieName);
    if (!cookie) return undefined;
    const check = verifySessionCookie(this.signing.sessionKey, cookie, Date.now());
    if (!check.ok) return undefined;
    if (check.claims.keyTag === this.signing.personTag) return check.claims.name;
    return this.signing.byTag.get(check.claims.keyTag)?.name;
  }

  /** Whether `token` is the CSRF token of `session`. */
  csrfMatches(session: Session, token: string | string[] | undefined): boolean {
    return typeof token === 'string' && sameSecret(csrfTokenOf(this.signing.sessionKey, session.claims.id), token);
  }

  /** Ends `session` everywhere: here at once, on other replicas within `SESSION_REVOCATION_CACHE_MS`. */
  end(session: Session): Promise<void> {
    const { id, issuedAt, expiresAt } = session.claims;
    return this.ended.end({ id, issuedAt, expiresAt });
  }

  /** The `Set-Cookie` value that sets `cookie`, or clears the cookie when undefined. */
  setCookie(cookie: string | undefined, expiresAt?: number): string {
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(this.secure ? ['Secure'] : [])];
    if (cookie === undefined) return [`${this.cookieName}=`, 'Max-Age=0', ...attributes].join('; ');
    const maxAge = Math.max(0, Math.round(((expiresAt ?? Date.now()) - Date.now()) / 1000));
    return [`${this.cookieName}=${cookie}`, `Max-Age=${maxAge}`, `Expires=${new Date(expiresAt ?? Date.now()).toUTCString()}`, ...attributes].join('; ');
  }
}
