/**
 * Who may do what, by role: shared by the API's guards and the console, which hides what a
 * role may not do (the API refuses it anyway). Pure and zod-free.
 */
import type { Role } from '../schemas/config';

/** Who is calling: the API key's name is the actor on the timeline. */
export interface Principal {
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

/** Roles are ordered: an admin may do what a responder may, a responder what a viewer may. */
export function hasRole(principal: Principal, required: Role): boolean {
  return RANK[principal.role] >= RANK[required];
}
