/**
 * What single sign-on reads from a person's claims (ID token, then userinfo): the name they
 * act under and the role their claim values map to. Pure, so its edge cases are tested alone.
 */
import { cleanLine, shortenKey } from '../../../../core/model/text';
import { type OidcRoleMapping, ROLES, type Role } from '../../../../core/schemas/config';

/** Marks a principal as a person signed in through the identity provider; API key names cannot hold `:`. */
export const PERSON_PREFIX = 'oidc:';
/** A person's name is cut (with a hash of the whole) past this many UTF-8 bytes, prefix included. */
export const MAX_PERSON_NAME_BYTES = 128;
/** Claim values looked at for a role, at most: a claim with thousands of groups is read in bounded time. */
const MAX_CLAIM_VALUES = 1_000;

export type Claims = Readonly<Record<string, unknown>>;

/** The actor a person acts under: `oidc:` + `preferred_username`, else `email`, else `sub`; one clean, bounded line. */
export function personName(claims: Claims): string | undefined {
  const chosen = [claims.preferred_username, claims.email, claims.sub].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return chosen === undefined ? undefined : shortenKey(`${PERSON_PREFIX}${cleanLine(chosen.trim())}`, MAX_PERSON_NAME_BYTES);
}

/** The claim `name`: the claim of that exact name, else a dotted path into nested objects (Keycloak's `realm_access.roles`). */
export function claimAt(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The claim's string values: one string, or the strings of an array. */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_CLAIM_VALUES).filter((item): item is string => typeof item === 'string');
}

/** The highest role any of the claim's values maps to, or undefined when none maps. */
export function roleFor(claims: Claims, roleClaim: string, mappings: readonly OidcRoleMapping[]): Role | undefined {
  const byValue = new Map(mappings.map((mapping) => [mapping.value, mapping.role]));
  let best: Role | undefined;
  for (const value of claimValues(claimAt(claims, roleClaim))) {
    const role = byValue.get(value);
    if (role !== undefined && (best === undefined || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role;
  }
  return best;
}
