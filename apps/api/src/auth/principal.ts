import type { Role } from '../../../../core/schemas/config';

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
