import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import type { ApiKey, Config } from '../../../../core/schemas/config';
import { MetricsService } from '../metrics/metrics.service';
import { API_KEYS, CONFIG, RUNBOOK_CATALOG } from '../tokens';
import { ACCESS_KEY, AccessCheck, type AuthenticatedRequest, type RouteAccess } from './access';
import { Authenticator } from './authenticator';

export { digest, presentedKey } from './api-key-principals';
export { type AuthenticatedRequest } from './access';
export { Requires, RequiresIncidentActionRight, RequiresRunbookLaunchRight } from './requires.decorator';
export { Public } from './public.decorator';

const GENIE_KEY = 'firebreak:genie-key';


/** The route speaks Opsgenie's API, so it also takes the key as `Authorization: GenieKey <key>`. */
export const AcceptGenieKey = () => SetMetadata(GENIE_KEY, true);

/**
 * The one guard of every route (registered globally): a route is reached only as its
 * `@Requires(right)` says, through the rights table, with an API key or the console's
 * session cookie (see {@link Authenticator}); a `@Public(...)` route by anyone. A route
 * with neither refuses everyone, so a forgotten decorator closes a route rather than
 * opening it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');
  private readonly access: AccessCheck;

  constructor(
    private readonly reflector: Reflector,
    authenticator: Authenticator,
    metrics: MetricsService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(API_KEYS) keys: ApiKey[],
    @Inject(RUNBOOK_CATALOG) private readonly runbooks: ReadonlyMap<string, RunbookDefinition>,
  ) {
    this.access = new AccessCheck(authenticator, metrics, config, keys);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!access) {
      this.logger.warn(`${context.getClass().name}.${context.getHandler().name} declares neither @Requires nor @Public: refused`);
      this.access.undeclared(request);
      throw new ForbiddenException('this route declares no right, so nobody may call it');
    }
    if (access.kind === 'public') return true;
    if (access.kind === 'right' && access.unless && this.config[access.unless]) return true;
    const genieKey = this.reflector.getAllAndOverride<boolean | undefined>(GENIE_KEY, targets) === true;
    const need = {
      right: access.kind === 'right' ? access.right : access.pick({ params: request.params as Record<string, string>, body: request.body }, { runbooks: this.runbooks }),
    };
    const { principal, session } = await this.access.authorize(request, need, { genieKey });
    request.principal = principal;
    if (session) request.session = session;
    return true;
  }
}
