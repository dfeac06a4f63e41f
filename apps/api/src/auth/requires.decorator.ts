import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiOperation } from '@nestjs/swagger';
import { INCIDENT_ACTION_RIGHTS, incidentActionRight, type Right, runbookLaunchRight } from '../../../../core/model/rights';
import { ACCESS_KEY, type PublicSetting, type RouteAccess, rolesOf } from './access';

/** What the OpenAPI document says of a route's access, beside the guard's metadata. */
function describeAccess(access: RouteAccess): { right: string; rights?: readonly Right[]; description: string } {
  const roles = rolesOf(access).join(', ');
  switch (access.kind) {
    case 'right': {
      const unless = access.unless ? ` (no key needed when ${access.unless === 'publicDocs' ? 'PUBLIC_DOCS' : 'PUBLIC_METRICS'}=true)` : '';
      return { right: access.right, description: `Needs the \`${access.right}\` right: ${roles}${unless}.` };
    }
    case 'per-request':
      return { right: access.rights[0], rights: access.rights, description: `Needs ${access.describe} (${access.rights.map((right) => `\`${right}\``).join(', ')}); at least ${roles}.` };
    case 'public':
      return access.checks
        ? { right: access.checks, description: `No Authorization header: ${access.why}. Needs the \`${access.checks}\` right: ${roles}.` }
        : { right: 'public', description: `Public: ${access.why}.` };
  }
}

/** Sets a route's access for the guard and states it in the OpenAPI operation (`x-firebreak-right`, `x-firebreak-roles`). */
export function routeAccess(access: RouteAccess) {
  const described = describeAccess(access);
  return applyDecorators(
    SetMetadata(ACCESS_KEY, access),
    ApiExtension('x-firebreak-right', described.right),
    ApiExtension('x-firebreak-roles', [...rolesOf(access)]),
    ...(described.rights ? [ApiExtension('x-firebreak-rights', [...described.rights])] : []),
    // A route's own operation text, if it has one, wins.
    ApiOperation({ description: described.description }, { overrideExisting: false }),
  );
}

/**
 * The right a route needs (docs/rights.md): the caller's key or console session must hold
 * it. Every route has this or `@Public()`; one with neither refuses everyone.
 * `unless` names the setting that opens the route to anyone (`PUBLIC_DOCS`, `PUBLIC_METRICS`).
 */
export const Requires = (right: Right, options: { unless?: PublicSetting } = {}) => routeAccess({ kind: 'right', right, ...options });

const ACTION_RIGHTS = [...new Set<Right>(Object.values(INCIDENT_ACTION_RIGHTS))];

/**
 * `POST /v1/incidents/:id/actions`: the right of the action the body names. A body with no
 * known action needs the least of them, so that whoever may act is told what is wrong with it.
 */
export const RequiresIncidentActionRight = () =>
  routeAccess({
    kind: 'per-request',
    rights: ACTION_RIGHTS,
    describe: "the right of the body's action",
    pick: ({ body }) => incidentActionRight(String((body as { action?: unknown } | undefined)?.action)) ?? ACTION_RIGHTS[0],
  });

/**
 * `POST /v1/runbooks/:name/executions`: a real run of a destructive runbook needs
 * `runbook.launch-destructive`; anything else `runbook.launch`. An unknown runbook needs the
 * least, so that the caller learns it does not exist.
 */
export const RequiresRunbookLaunchRight = () =>
  routeAccess({
    kind: 'per-request',
    rights: ['runbook.launch', 'runbook.launch-destructive'],
    describe: 'the right to launch this runbook (a real run of a destructive one needs more than a dry run)',
    pick: ({ params, body }, { runbooks }) => {
      const runbook = runbooks.get(String(params.name));
      return runbook ? runbookLaunchRight(runbook, (body as { dryRun?: unknown } | undefined)?.dryRun === true) : 'runbook.launch';
    },
  });
