/**
 * The console's session cookie: `v1.<claims>.<signature>`, the claims base64url JSON and the
 * signature HMAC-SHA256 with the session key. The key is derived from the deployment's ack
 * secret (`ACK_SIGNING_SECRET` or `DATA_DIR/ack-secret`, the same on every replica), so every
 * replica verifies what another signed; changing that secret ends every session.
 *
 * The cookie names its key by a tag (an HMAC of the key, not the key or a plain hash of it):
 * a session works only while a key with that tag, name and role is configured.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, type Role } from '../../../../core/schemas/config';

export interface SessionClaims {
  /** Random, 22 base64url characters: what a sign-out ends. */
  id: string;
  /** The key's name: the actor on the timeline. */
  name: string;
  role: Role;
  /** {@link keyTag} of the key signed in with. */
  keyTag: string;
  /** When the session was issued (epoch ms). */
  issuedAt: number;
  /** When it stops working (epoch ms). */
  expiresAt: number;
}

const VERSION = 'v1';
/** Cookies longer than this are not ours: refused before any work. */
const MAX_COOKIE_CHARS = 1024;

/** HMAC-SHA256 of `text` with `key`, base64url. */
export const hmac = (key: string, text: string) => createHmac('sha256', key).update(text).digest('base64url');

/** The key that signs sessions, derived from the ack secret so that neither can stand in for the other. */
export const sessionKeyFrom = (ackSecret: string) => hmac(ackSecret, 'firebreak console session');

/** Names an API key, by its SHA-256 digest (hex), inside a cookie without revealing it. */
export const keyDigestTag = (sessionKey: string, sha256: string) => hmac(sessionKey, `key:${sha256}`).slice(0, 22);

/** Names an API key inside a cookie without revealing it: a key configured as its digest gets the same tag. */
export const keyTag = (sessionKey: string, apiKey: string) => keyDigestTag(sessionKey, createHash('sha256').update(apiKey).digest('hex'));

/** The CSRF token of session `sessionId`: mutating requests made with its cookie send it as `X-CSRF-Token`. */
export const csrfTokenOf = (sessionKey: string, sessionId: string) => hmac(sessionKey, `csrf:${sessionId}`);

/** A fresh session id. */
export const newSessionId = () => randomBytes(16).toString('base64url');

/** Compares two secrets in time that does not depend on where they differ. */
export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signSessionCookie(sessionKey: string, claims: SessionClaims): string {
  const body = Buffer.from(
    JSON.stringify({ s: claims.id, n: claims.name, r: claims.role, k: claims.keyTag, i: claims.issuedAt, e: claims.expiresAt }),
  ).toString('base64url');
  return `${VERSION}.${body}.${hmac(sessionKey, `${VERSION}.${body}`)}`;
}

export type SessionCookieCheck = { ok: true; claims: SessionClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Checks the signature and the expiry; whether the session was ended or its key removed is for the caller to say. */
export function verifySessionCookie(sessionKey: string, cookie: string, nowMs: number): SessionCookieCheck {
  const parts = cookie.split('.');
  if (cookie.length > MAX_COOKIE_CHARS || parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, body, signature] = parts;
  if (!sameSecret(hmac(sessionKey, `${VERSION}.${body}`), signature)) return { ok: false, reason: 'signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { s, n, r, k, i, e } = (raw ?? {}) as Record<string, unknown>;
  if (typeof s !== 'string' || typeof n !== 'string' || typeof k !== 'string' || typeof i !== 'number' || typeof e !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (!(ROLES as readonly unknown[]).includes(r)) return { ok: false, reason: 'malformed' };
  if (nowMs >= e) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { id: s, name: n, role: r as Role, keyTag: k, issuedAt: i, expiresAt: e } };
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
