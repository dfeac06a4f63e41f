import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuditEntry, AuditOutcome, AuditVia } from '../../../../record/audit';
import type { AuthenticatedRequest } from '../auth/access';
import { type AuditNote, withAuditNote } from './audit-notes';
import { AuditService } from './audit.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REFUSED = new Set([401, 403]);
/** How the `firebreak` CLI names itself in `User-Agent`. */
export const CLI_USER_AGENT = /^firebreak-cli(\/|\s|$)/i;
/** The route parameters that name what a request acts on, in the order they are looked for (never `token`: a credential). */
const TARGET_PARAMS = ['id', 'name', 'alias'] as const;
const SESSION_COOKIE = /(^|;\s*)(__Host-)?firebreak_session=/;

/** The route pattern that answered (`/v1/incidents/:id`), or undefined when none did. */
function routePattern(request: Request): string | undefined {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

function targetOf(request: Request): string | undefined {
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const name of TARGET_PARAMS) {
    if (typeof params[name] === 'string' && params[name] !== '') return params[name];
  }
  return undefined;
}

/** The `action` a JSON body names (`POST /v1/incidents/:id/actions`). */
function actionOf(request: Request): string | undefined {
  const body = request.body as { action?: unknown } | undefined;
  return body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof body.action === 'string' ? body.action : undefined;
}

function viaOf(request: Request, route: string | undefined, note: AuditNote): AuditVia {
  if (note.via) return note.via;
  if ((route ?? request.path).startsWith('/v1/chat/slack/')) return 'slack';
  const authorization = request.headers.authorization;
  if ((request as Partial<AuthenticatedRequest>).session || (!authorization && SESSION_COOKIE.test(request.headers.cookie ?? ''))) return 'console';
  if (CLI_USER_AGENT.test(request.headers['user-agent'] ?? '')) return 'cli';
  return 'api';
}

function outcomeOf(status: number, note: AuditNote): AuditOutcome {
  if (note.refused || REFUSED.has(status)) return 'refused';
  return status >= 400 ? 'failed' : 'allowed';
}

const AUDITED = Symbol('audited');
type AuditedRequest = Request & { [AUDITED]?: true };

/**
 * Records every request that changes something, allowed or not, and every refused read,
 * once its answer has gone out: a refusal by the guard never reaches an interceptor, but
 * every request ends. Who asked is the principal the guard put on the request.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  constructor(private readonly audit: AuditService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const at = new Date().toISOString();
    const note: AuditNote = {};
    (request as AuditedRequest)[AUDITED] = true;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.ended(request, response, at, note).catch(() => {});
    };
    response.once('finish', end);
    // A caller that goes away before the answer is complete: what it asked may still have been done.
    response.once('close', end);
    withAuditNote(note, next);
  }

  /**
   * For `app.use` before the body parsers: a request they refuse (a body over its limit: 413)
   * never reaches this middleware, which Nest mounts after them; it is recorded here when it
   * ends, without a route or a principal (nothing read its key).
   */
  readonly beforeParsing = (request: Request, response: Response, next: NextFunction): void => {
    const at = new Date().toISOString();
    response.once('finish', () => {
      if (!(request as AuditedRequest)[AUDITED]) this.ended(request, response, at, {}).catch(() => {});
    });
    next();
  };

  private async ended(request: Request, response: Response, at: string, note: AuditNote): Promise<void> {
    const method = request.method.toUpperCase();
    const status = response.statusCode;
    const outcome = outcomeOf(status, note);
    if (!MUTATING.has(method) && outcome !== 'refused') return;
    const route = routePattern(request);
    // The guard puts the caller on the request, refused or not.
    const principal = note.principal ?? (request as Partial<AuthenticatedRequest>).principal;
    const details: Record<string, string> = { ...note.details };
    if (!principal && status === 401) details.credentials = request.headers.authorization || request.headers.cookie ? 'unknown' : 'none';
    const entry: AuditEntry = {
      entryId: randomUUID(),
      at,
      principal: principal?.name,
      role: principal?.role,
      via: viaOf(request, route, note),
      method,
      route,
      target: note.target ?? targetOf(request),
      action: note.action ?? actionOf(request),
      outcome,
      status,
      requestId: (request as Request & { id?: string }).id,
      sourceIp: request.ip ?? request.socket.remoteAddress,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    };
    this.audit.record(entry);
  }
}
