import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiKey } from '../../../../core/schemas/config';
import { API_KEYS } from '../tokens';
import type { Principal } from './principal';

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

/** Who an `Authorization` header names: no key at all, a key nobody configured, or a principal. */
export type KeyLookup = { found: 'none' } | { found: 'unknown' } | { found: 'key'; principal: Principal };

/**
 * The configured API keys, looked up by their SHA-256 digest, so the time a lookup takes says
 * nothing about how much of a guessed key was right. The one place a header becomes a principal.
 */
@Injectable()
export class ApiKeyPrincipals {
  private readonly byDigest: Map<string, Principal>;

  constructor(@Inject(API_KEYS) keys: ApiKey[]) {
    this.byDigest = new Map(keys.map(({ name, role, key }) => [digest(key), { name, role }]));
  }

  principalFor(header: string | undefined): KeyLookup {
    const key = presentedKey(header ?? '');
    if (key === undefined) return { found: 'none' };
    const principal = this.byDigest.get(digest(key));
    return principal ? { found: 'key', principal } : { found: 'unknown' };
  }
}
