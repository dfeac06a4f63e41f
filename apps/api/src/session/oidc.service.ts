import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import * as oidcClient from 'openid-client';
import type { Config, OidcConfig, Role } from '../../../../core/schemas/config';
import type { SessionAnswer } from '../../../../core/schemas/session-api';
import { CONFIG } from '../tokens';
import { type Claims, claimAt, PERSON_PREFIX, personName, roleFor } from './oidc-claims';
import { FLOW_COOKIE_PATH, FLOW_TTL_MS, returnPath, signFlow, verifyFlow } from './oidc-flow';
import { cookieValue, sameSecret } from './session-cookie';
import { SessionService } from './session.service';

/** The callback's path: registered at the identity provider as `<PUBLIC_URL>/v1/session/oidc/callback`. */
export const OIDC_CALLBACK_PATH = '/v1/session/oidc/callback';
/** How long the API waits for the identity provider (discovery, token, userinfo), in seconds. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** How a callback ended: a session to set, or a refusal to show (never with a token in it). */
export type OidcFinish =
  | { outcome: 'signed-in'; cookie: string; answer: SessionAnswer; returnTo: string }
  | { outcome: 'refused'; status: 400 | 401 | 403 | 502 | 503; heading: string; reason: string };

const refused = (status: 400 | 401 | 403 | 502 | 503, heading: string, reason: string): OidcFinish => ({ outcome: 'refused', status, heading, reason });

/** What each failed ID token check means to the person, by the claim it failed on. */
const FAILED_CLAIM: Record<string, string> = {
  aud: 'its ID token was issued to another application (audience).',
  azp: 'its ID token was issued to another application (authorized party).',
  iss: 'its ID token was issued by another identity provider (issuer).',
  exp: 'its ID token has expired.',
  iat: 'its ID token was issued too long ago.',
  nbf: 'its ID token is not valid yet.',
  nonce: 'its ID token belongs to another sign-in (nonce).',
  auth_time: 'the sign-in at the identity provider is too old.',
};

/**
 * Single sign-on for people: the authorization code flow with PKCE against the configured
 * OpenID provider (`openid-client` checks the issuer, audience, expiry, signature, state and
 * nonce). A person whose claims map to a role gets the same console session an API key gets.
 * The provider's metadata is read on first use, not at start: a provider that is down then
 * does not stop the API, and the next sign-in tries again.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('oidc');
  private discovered?: Promise<oidcClient.Configuration>;
  readonly flowCookieName: string;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionService,
  ) {
    this.flowCookieName = sessions.secure ? '__Secure-firebreak_oidc' : 'firebreak_oidc';
  }

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  private get settings(): OidcConfig {
    if (!this.config.oidc) throw new Error('single sign-on is not configured');
    return this.config.oidc;
  }

  get callbackUrl(): string {
    return `${this.config.publicUrl}${OIDC_CALLBACK_PATH}`;
  }

  /** The provider's configuration, discovered once; a failed discovery is forgotten so the next call retries. */
  private provider(): Promise<oidcClient.Configuration> {
    this.discovered ??= (async () => {
      const { issuer, clientId, clientSecret } = this.settings;
      // http:// is accepted by the settings only for a provider on this machine.
      const insecure = new URL(issuer).protocol === 'http:';
      return oidcClient.discovery(new URL(issuer), clientId, clientSecret.reveal(), undefined, {
        execute: insecure ? [oidcClient.allowInsecureRequests] : [],
        timeout: PROVIDER_TIMEOUT_SECONDS,
      });
    })().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  /** Starts a sign-in: where to send the browser, and the flow cookie to set. Undefined when the provider cannot be reached. */
  async start(returnTo: unknown, nowMs = Date.now()): Promise<{ location: string; setCookie: string } | { unreachable: string }> {
    let provider: oidcClient.Configuration;
    try {
      provider = await this.provider();
    } catch (error) {
      this.logger.warn(`cannot read the identity provider's metadata: ${describe(error)}`);
      return { unreachable: 'The identity provider cannot be reached right now. Try again in a moment, or sign in with an API key.' };
    }
    const verifier = oidcClient.randomPKCECodeVerifier();
    const flow = { state: oidcClient.randomState(), nonce: oidcClient.randomNonce(), verifier, returnTo: returnPath(returnTo), expiresAt: nowMs + FLOW_TTL_MS };
    const url = oidcClient.buildAuthorizationUrl(provider, {
      redirect_uri: this.callbackUrl,
      scope: this.settings.scopes,
      code_challenge: await oidcClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { location: url.href, setCookie: this.flowCookie(signFlow(this.sessions.flowKey, flow), FLOW_TTL_MS) };
  }

  /** The `Set-Cookie` value that sets the flow cookie for `maxAgeMs`, or clears it. */
  flowCookie(value: string | undefined, maxAgeMs = 0): string {
    const attributes = [`Path=${FLOW_COOKIE_PATH}`, 'HttpOnly', 'SameSite=Lax', ...(this.sessions.secure ? ['Secure'] : [])];
    return [`${this.flowCookieName}=${value ?? ''}`, `Max-Age=${Math.round(maxAgeMs / 1000)}`, ...attributes].join('; ');
  }

  /** Finishes a sign-in at the callback: checks the flow and the provider's answer, maps the claims to a role. */
  async finish(request: Request, nowMs = Date.now()): Promise<OidcFinish> {
    const startAgain = 'Start again from the sign-in page.';
    const cookie = cookieValue(request.headers.cookie, this.flowCookieName);
    if (!cookie) return refused(400, 'Sign-in not started here', `This browser did not start this sign-in, or took longer than ${FLOW_TTL_MS / 60_000} minutes. ${startAgain}`);
    const check = verifyFlow(this.sessions.flowKey, cookie, nowMs);
    if (!check.ok) {
      return check.reason === 'expired'
        ? refused(400, 'Sign-in took too long', `A sign-in must finish within ${FLOW_TTL_MS / 60_000} minutes. ${startAgain}`)
        : refused(400, 'Sign-in not started here', `The sign-in state in this browser is not valid. ${startAgain}`);
    }
    const { flow } = check;
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    const state = query.get('state');
    // Checked here as well as by openid-client, to tell the person plainly.
    if (state === null || !sameSecret(flow.state, state)) {
      return refused(400, 'Sign-in not started here', `The identity provider's answer belongs to another sign-in (state). ${startAgain}`);
    }
    const error = query.get('error');
    if (error !== null) {
      const code = /^[A-Za-z0-9_.-]{1,64}$/.test(error) ? error : 'an error';
      return refused(401, 'Not signed in', `The identity provider refused the sign-in (${code}). ${startAgain}`);
    }

    let claims: Claims;
    try {
      const provider = await this.provider();
      const tokens = await oidcClient.authorizationCodeGrant(provider, new URL(`${this.callbackUrl}?${query.toString()}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) return refused(502, 'Not signed in', `The identity provider sent no ID token. ${startAgain}`);
      claims = idClaims as Claims;
      if (this.needsUserInfo(claims) && tokens.access_token) {
        const userInfo = await oidcClient.fetchUserInfo(provider, tokens.access_token, idClaims.sub);
        // The ID token's claims win: they are signed.
        claims = { ...(userInfo as Claims), ...claims };
      }
    } catch (failure) {
      return this.refusalFor(failure, startAgain);
    }

    const name = personName(claims);
    if (name === undefined) return refused(502, 'Not signed in', `The identity provider named no user (preferred_username, email or sub). ${startAgain}`);
    const role: Role | undefined = roleFor(claims, this.settings.roleClaim, this.settings.roles);
    if (role === undefined) {
      this.logger.warn(`single sign-on refused ${name}: no value of the ${this.settings.roleClaim} claim maps to a role in OIDC_ROLES`);
      return refused(
        403,
        'No access to Firebreak',
        `You signed in at the identity provider as ${name.slice(PERSON_PREFIX.length)}, but no value of your "${this.settings.roleClaim}" claim maps to a Firebreak role. Ask whoever runs Firebreak to map one in OIDC_ROLES. You are not signed in to Firebreak.`,
      );
    }
    const opened = this.sessions.openPerson(name, role, nowMs);
    return { outcome: 'signed-in', cookie: opened.cookie, answer: opened.answer, returnTo: flow.returnTo };
  }

  /** Whether the ID token lacks what is needed (the role claim, a name) and the userinfo endpoint may have it. */
  private needsUserInfo(claims: Claims): boolean {
    const named = ['preferred_username', 'email'].some((claim) => typeof claims[claim] === 'string');
    return claimAt(claims, this.settings.roleClaim) === undefined || !named;
  }

  /** A failed exchange or check, told without any token: the failed check's name, or the provider's error code. */
  private refusalFor(failure: unknown, startAgain: string): OidcFinish {
    this.logger.warn(`single sign-on failed: ${describe(failure)}`);
    const claim = failedClaim(failure);
    if (claim !== undefined && FAILED_CLAIM[claim]) return refused(401, 'Not signed in', `The identity provider's answer was refused: ${FAILED_CLAIM[claim]} ${startAgain}`);
    if (failure instanceof oidcClient.ResponseBodyError) {
      const code = /^[A-Za-z0-9_.-]{1,64}$/.test(failure.error) ? failure.error : 'an error';
      return refused(401, 'Not signed in', `The identity provider refused the sign-in code (${code}). ${startAgain}`);
    }
    if (isUnreachable(failure)) return refused(503, 'Identity provider unreachable', 'The identity provider cannot be reached right now. Try again in a moment, or sign in with an API key.');
    return refused(502, 'Not signed in', `The identity provider's answer did not pass the checks. ${startAgain}`);
  }
}

/** The claim an ID token check failed on, from openid-client's error or its causes. */
function failedClaim(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const { cause } = current as Error & { cause?: unknown };
    if (cause && typeof cause === 'object' && typeof (cause as { claim?: unknown }).claim === 'string') return (cause as { claim: string }).claim;
    current = cause;
  }
  return undefined;
}

function isUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError' || (current instanceof TypeError && current.message === 'fetch failed')) return true;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return false;
}

/** An error for the log: its name, code and message, never its cause (which may hold claims). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
}
