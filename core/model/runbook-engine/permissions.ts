/**
 * Who may launch a runbook and decide its approvals: what the runbook declares in
 * `permissions`, else the defaults of the rights table (core/model/rights.ts). Pure.
 */
import type { Role } from '../../schemas/config';
import { rolesFrom } from '../roles';
import type { RunbookDefinition } from '../runbook';

type Declared = Pick<RunbookDefinition, 'destructive' | 'permissions'>;

export function isDestructive(runbook: Pick<RunbookDefinition, 'destructive'>): boolean {
  return runbook.destructive === true;
}

/** The roles that may launch a real run: responder and up, commander and up when destructive. */
export function launchRoles(runbook: Declared): Role[] {
  return runbook.permissions?.launch ?? rolesFrom(isDestructive(runbook) ? 'commander' : 'responder');
}

/** The roles an approval asks when the request names none: responder and up. */
export function approveRoles(runbook: Declared): Role[] {
  return runbook.permissions?.approve ?? rolesFrom('responder');
}

/** Why `role` may not launch a real run of `runbook`, or undefined. */
export function refuseLaunch(runbook: Declared & Pick<RunbookDefinition, 'id'>, role: Role): string | undefined {
  const roles = launchRoles(runbook);
  if (roles.includes(role)) return undefined;
  return `only ${roles.join(' or ')} keys may launch ${runbook.id}${isDestructive(runbook) ? ' (destructive)' : ''}; yours is ${role}`;
}
