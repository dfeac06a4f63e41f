/**
 * The state of one single sign-on between its start and the identity provider's redirect back:
 * `state`, `nonce`, the PKCE verifier and where to go afterwards, in a short-lived cookie
 * signed with a key derived from the session key. The cookie is `HttpOnly`, `SameSite=Lax`
 * (the provider's redirect back is a cross-site navigation, which `Strict` would strip) and
 * sent only to the callback's path.
 */
import { hmac, sameSecret } from './session-cookie';

export interface OidcFlow {
  state: string;
  nonce: string;
  /** The PKCE `code_verifier`. */
  verifier: string;
  /** The console path to open once signed in. */
  returnTo: string;
  /** Epoch ms after which the callback refuses the flow. */
  expiresAt: number;
}

/** A person has this long at the identity provider (typing a password, a second factor) before starting again. */
export const FLOW_TTL_MS = 10 * 60 * 1000;
/** The path the flow cookie is sent to: the callback, nothing else. */
export const FLOW_COOKIE_PATH = '/v1/session/oidc';
const VERSION = 'f1';
const MAX_FLOW_COOKIE_CHARS = 2048;
const MAX_RETURN_PATH_CHARS = 512;

/** The key that signs flows, apart from the one that signs sessions: neither cookie passes for the other. */
export const flowKeyFrom = (sessionKey: string) => hmac(sessionKey, 'firebreak oidc sign-in flow');

export function signFlow(flowKey: string, flow: OidcFlow): string {
  const body = Buffer.from(JSON.stringify({ s: flow.state, n: flow.nonce, v: flow.verifier, r: flow.returnTo, e: flow.expiresAt })).toString('base64url');
  return `${VERSION}.${body}.${hmac(flowKey, `${VERSION}.${body}`)}`;
}

export type FlowCheck = { ok: true; flow: OidcFlow } | { ok: false; reason: 'malformed' | 'expired' };

/** The flow a cookie holds, if it is ours, intact and not expired. */
export function verifyFlow(flowKey: string, cookie: string, nowMs: number): FlowCheck {
  const parts = cookie.split('.');
  if (cookie.length > MAX_FLOW_COOKIE_CHARS || parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, body, signature] = parts;
  if (!sameSecret(hmac(flowKey, `${VERSION}.${body}`), signature)) return { ok: false, reason: 'malformed' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { s, n, v, r, e } = (raw ?? {}) as Record<string, unknown>;
  if (typeof s !== 'string' || typeof n !== 'string' || typeof v !== 'string' || typeof r !== 'string' || typeof e !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (nowMs >= e) return { ok: false, reason: 'expired' };
  return { ok: true, flow: { state: s, nonce: n, verifier: v, returnTo: returnPath(r), expiresAt: e } };
}

/**
 * A console path to return to after signing in: a same-origin absolute path, or `/`. Anything
 * that could leave the origin (`//host`, `/\host`, a scheme) or is not one clean line is dropped.
 */
export function returnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_PATH_CHARS) return '/';
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\u0000-\u001F\u007F\\]*$/.test(value)) return '/';
  if (value.startsWith('/v1/') || value === '/sign-in') return '/';
  return value;
}
