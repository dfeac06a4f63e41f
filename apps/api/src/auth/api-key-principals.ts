import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ApiKey } from '../../../../core/schemas/config';
import { API_KEYS } from '../tokens';
import type { Principal } from './principal';

export const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/** The SHA-256 digest of a configured key, given as the key itself or as its digest. */
export const keyDigest = (entry: ApiKey): string => (entry.key !== undefined ? digest(entry.key) : entry.sha256);

/** Authorization schemes a route accepts beyond Bearer. */
export interface KeySchemes {
  /** Opsgenie's `GenieKey <key>`: only on the routes that speak Opsgenie's API. */
  genieKey?: boolean;
}

/**
 * The API key a request presents: `Bearer <key>`, or `GenieKey <key>` where `schemes` allows
 * it. Nothing else: HTTP Basic would put the key in URLs and proxy logs.
 */
export function presentedKey(header: string, schemes: KeySchemes = {}): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1];
  if (schemes.genieKey) {
    const genie = /^GenieKey\s+(\S+)\s*$/i.exec(header);
    if (genie) return genie[1];
  }
  return undefined;
}

/** Who an `Authorization` header names: no key at all, a key nobody configured, or a principal. */
export type KeyLookup = { found: 'none' } | { found: 'unknown' } | { found: 'key'; principal: Principal };

/**
 * The configured API keys, looked up by their SHA-256 digest, so the time a lookup takes says
 * nothing about how much of a guessed key was right, and a key configured as its digest works
 * as the key itself does. The one place a header becomes a principal.
 */
@Injectable()
export class ApiKeyPrincipals {
  private readonly byDigest = new Map<string, Principal>();

  constructor(@Inject(API_KEYS) keys: ApiKey[]) {
    for (const entry of keys) {
      const key = keyDigest(entry);
      const same = this.byDigest.get(key);
      // A plain key and its digest both configured: `API_KEYS` could not tell them apart before hashing.
      if (same) throw new Error(`API_KEYS: "${entry.name}" and "${same.name}" hold the same key (once as the key, once as its sha256)`);
      this.byDigest.set(key, { name: entry.name, role: entry.role });
    }
  }

  principalFor(header: string | undefined, schemes: KeySchemes = {}): KeyLookup {
    const key = presentedKey(header ?? '', schemes);
    if (key === undefined) return { found: 'none' };
    return this.principalForKey(key);
  }

  /** A key given some other way than a header: PagerDuty's `routing_key` in the body. */
  principalForKey(key: string): KeyLookup {
    const principal = this.byDigest.get(digest(key));
    return principal ? { found: 'key', principal } : { found: 'unknown' };
  }
}
