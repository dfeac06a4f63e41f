/**
 * Roles, shared by the API's guard and the console. What each role may do is the rights
 * table (./rights.ts); this file only orders the roles. Pure and zod-free.
 */
import type { Role } from '../schemas/config';

/** Who is calling: the API key's name is the actor on the timeline. */
export interface Principal {
  name: string;
  role: Role;
}

/**
 * The ranked roles, least first: each may do what the ones before it may. `sender` is
 * outside the ranks: the key of an alerting system, which only sends alerts and pings
 * heartbeats, and reads nothing.
 */
export const RANKED_ROLES = ['viewer', 'responder', 'commander', 'admin'] as const satisfies readonly Role[];
export type RankedRole = (typeof RANKED_ROLES)[number];

/** The ranked roles from `least` up: `rolesFrom('responder')` is responder, commander and admin. */
export function rolesFrom(least: RankedRole): RankedRole[] {
  return RANKED_ROLES.slice(RANKED_ROLES.indexOf(least));
}

/**
 * Whether `principal` ranks at least `required`. A sender ranks nowhere: it holds only the
 * `sender` role itself. Prefer `mayDo` (./rights.ts), which asks the rights table.
 */
export function hasRole(principal: Pick<Principal, 'role'>, required: Role): boolean {
  if (principal.role === 'sender' || required === 'sender') return principal.role === required;
  return RANKED_ROLES.indexOf(principal.role) >= RANKED_ROLES.indexOf(required);
}
