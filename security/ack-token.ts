/**
 * One-time acknowledgement links: a notification carries `/v1/ack/<token>`, signed with
 * the deployment's ack secret and bound to the incident, the person and the moment it was
 * issued. The incident refuses a token issued before its last acknowledgement, so a token
 * works at most once per page; it also expires after {@link ACK_TOKEN_TTL_MS}.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const ACK_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface AckClaims {
  incidentId: string;
  responder: string;
  /** When the token was issued (epoch ms). */
  issuedAt: number;
  /** When it stops working (epoch ms). */
  expiresAt: number;
}

const VERSION = 'v1';

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest('base64url');
}

export function signAckToken(secret: string, claims: Omit<AckClaims, 'expiresAt'> & { expiresAt?: number }): string {
  const full: AckClaims = { ...claims, expiresAt: claims.expiresAt ?? claims.issuedAt + ACK_TOKEN_TTL_MS };
  const body = Buffer.from(JSON.stringify({ i: full.incidentId, p: full.responder, n: full.issuedAt, e: full.expiresAt })).toString('base64url');
  return `${VERSION}.${body}.${sign(secret, body)}`;
}

export type AckTokenCheck = { ok: true; claims: AckClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Checks the signature and the expiry; whether the incident still takes it is the incident's to say. */
export function verifyAckToken(secret: string, token: string, nowMs: number): AckTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || token.length > 2048) return { ok: false, reason: 'malformed' };
  const [, body, signature] = parts;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature' };
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { i, p, n, e } = (raw ?? {}) as Record<string, unknown>;
  if (typeof i !== 'string' || typeof p !== 'string' || typeof n !== 'number' || typeof e !== 'number') return { ok: false, reason: 'malformed' };
  if (nowMs >= e) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { incidentId: i, responder: p, issuedAt: n, expiresAt: e } };
}
