import { ForbiddenException, HttpException } from '@nestjs/common';
import type { Request } from 'express';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { mayDo, refusal, type Right, rolesHolding } from '../../../../core/model/rights';
import type { ApiKey, Config, Role } from '../../../../core/schemas/config';
import type { Session } from '../session/session.service';
import type { MetricsService } from '../metrics/metrics.service';
import type { KeySchemes } from './api-key-principals';
import type { Authenticator } from './authenticator';
import type { Principal } from './principal';

/** Metadata key of a route's access: set by `@Requires` and `@Public`. */
export const ACCESS_KEY = 'firebreak:access';

/** What a request tells a per-request right: its path parameters and its body, not yet validated. */
export interface RightRequest {
  params: Record<string, string>;
  body: unknown;
}

/** What a per-request right may look up. */
export interface RightLookups {
  runbooks: ReadonlyMap<string, RunbookDefinition>;
}

/** Settings that open a route to anyone. */
export type PublicSetting = 'publicDocs' | 'publicMetrics';

/** How a route is reached: what the guard checks before the handler runs. */
export type RouteAccess =
  /** A key or console session whose role holds `right`; with `unless`, nobody needs one while that setting is true. */
  | { kind: 'right'; right: Right; unless?: PublicSetting }
  /** The right depends on the request (an incident action, a runbook): `rights` are all it may be, least first. */
  | { kind: 'per-request'; rights: readonly Right[]; describe: string; pick: (request: RightRequest, lookups: RightLookups) => Right }
  /**
   * No key asked by the guard. `why` says what stands in for one (a signature, a signed
   * token, nothing for a public page); `checks` is the right the route's own check enforces
   * with that credential, when it maps one to a principal.
   */
  | { kind: 'public'; why: string; checks?: Right };

/** Who may reach a route with this access, for the OpenAPI document and the docs. */
export function rolesOf(access: RouteAccess): readonly Role[] {
  switch (access.kind) {
    case 'right':
      return rolesHolding(access.right);
    case 'per-request':
      return rolesHolding(access.rights[0]);
    case 'public':
      return access.checks ? rolesHolding(access.checks) : [];
  }
}

/** A request past the guard: its principal, and its console session when the cookie authenticated it. */
export type AuthenticatedRequest = Request & { principal: Principal; session?: Session };

/** Label values of refusals besides the configured keys' names. */
const NO_CREDENTIALS = 'none';
const UNKNOWN_CREDENTIALS = 'unknown';
/** A principal signed in some other way than with a configured key (its name is not a key's). */
const OTHER_PRINCIPAL = 'other';

/**
 * Authenticates a request and checks one right against the rights table, counting each
 * refusal. The one place a route's right is enforced: the global guard uses it for every
 * route, and the OpenAPI routes (served outside Nest's router) use it too.
 */
export class AccessCheck {
  private readonly keyNames: ReadonlySet<string>;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly metrics: MetricsService,
    readonly config: Config,
    keys: readonly ApiKey[],
  ) {
    this.keyNames = new Set(keys.map((key) => key.name));
  }

  /**
   * The caller, if its role holds `right`; 401 or 403 otherwise. A refused caller is still put
   * on the request, so the audit log names who was refused.
   */
  async authorize(request: Request, need: { right: Right }, schemes: KeySchemes = {}): Promise<{ principal: Principal; session?: Session }> {
    let authenticated: { principal: Principal; session?: Session };
    try {
      authenticated = await this.authenticator.authenticate(request, schemes);
    } catch (error) {
      if (error instanceof HttpException) this.refused(credentialsLabel(request), error.getStatus());
      throw error;
    }
    const { principal } = authenticated;
    if (!mayDo(principal, need.right)) {
      this.refused(this.principalLabel(principal), 403);
      (request as Partial<AuthenticatedRequest>).principal = principal;
      throw new ForbiddenException(refusal(principal, need.right));
    }
    return authenticated;
  }

  /** Counts a route that declares no right: nobody may call it. */
  undeclared(request: Request): void {
    this.refused(credentialsLabel(request), 403);
  }

  private refused(principal: string, status: number): void {
    if (status === 401 || status === 403) this.metrics.authRefused(principal, status);
  }

  /** Bounded: a configured key's name, or `other`; never a name the caller made up. */
  private principalLabel(principal: Principal): string {
    return this.keyNames.has(principal.name) ? principal.name : OTHER_PRINCIPAL;
  }
}

/** `none` when the request brought no credentials at all, `unknown` when they named nobody. */
function credentialsLabel(request: Request): string {
  return request.headers.authorization || request.headers.cookie ? UNKNOWN_CREDENTIALS : NO_CREDENTIALS;
}
