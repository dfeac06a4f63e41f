import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ApiKey, Config } from '../../../../core/schemas/config';
import { keyDigest } from '../auth/api-key-principals';
import { digest, presentedKey } from '../auth/auth.guard';
import { SessionService } from '../session/session.service';
import { API_KEYS } from '../tokens';

/** The throttlers, one per kind of caller; a request is counted by exactly one of them. */
export const RATE_LIMITS = {
  /** Requests without a valid API key, per client IP (public pages, health, bad keys). */
  ip: 'ip',
  /** Requests with a valid API key, per key. */
  key: 'key',
  /** Alert and heartbeat deliveries, per sender: unlimited unless configured. */
  alerts: 'alerts',
} as const;

const MINUTE_MS = 60_000;

/** The throttler settings for {@link RateLimitGuard}, from the configuration. */
export function rateLimitOptions(config: Config): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: RATE_LIMITS.ip, ttl: MINUTE_MS, limit: config.rateLimitPerMinute },
      { name: RATE_LIMITS.key, ttl: MINUTE_MS, limit: config.rateLimitPerKeyPerMinute },
      { name: RATE_LIMITS.alerts, ttl: MINUTE_MS, limit: config.rateLimitAlertsPerMinute },
    ],
    setHeaders: false,
  };
}

/**
 * Alert and heartbeat deliveries. A monitoring system in a storm sends many at once and
 * treats a refusal as "retry later", so throttling them would delay or lose the very alerts
 * Firebreak exists for; they are bounded by authentication and the durable alert queue
 * instead, and limited only when `RATE_LIMIT_ALERTS_PER_MINUTE` is set.
 */
function isDelivery(request: Request): boolean {
  return request.method === 'POST' && /^\/v1\/(alerts|heartbeats)(\/|$)/.test(request.path);
}

/**
 * Rate limits per client IP and per API key, before authentication (so guessing keys is
 * limited too). Each request counts against one limit: its key's when it presents a valid
 * key or a console session signed in with one (a team behind one address shares no limit),
 * its IP's otherwise, or the delivery limit on alert and heartbeat routes. A limit of 0
 * is no limit. Past a limit: 429 with `Retry-After`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly keyNames: Map<string, string>;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(API_KEYS) keys: ApiKey[],
    private readonly sessions: SessionService,
  ) {
    super(options, storage, reflector);
    this.keyNames = new Map(keys.map((entry) => [keyDigest(entry), entry.name]));
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.limit <= 0) return true;
    const req = request.context.switchToHttp().getRequest<Request>();
    const keyName = this.keyNameOf(req);
    const counts = this.countedBy(request.throttler, req, keyName);
    if (!counts) return true;
    const ip = normalizeIp(req.ip ?? req.socket.remoteAddress ?? 'unknown', this.ipv6SubnetPrefix);
    const tracker = keyName !== undefined ? `key:${keyName}` : `ip:${ip}`;
    return super.handleRequest({ ...request, getTracker: () => tracker });
  }

  /** One counter per throttler and caller, across all routes. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const res = context.switchToHttp().getResponse<Response>();
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    res.setHeader('Retry-After', String(retryAfter));
    throw new ThrottlerException(`rate limit of ${detail.limit} requests per minute exceeded; retry after ${retryAfter} s`);
  }

  private countedBy(throttler: ThrottlerOptions, request: Request, keyName: string | undefined): boolean {
    if (isDelivery(request)) return throttler.name === RATE_LIMITS.alerts;
    if (throttler.name === RATE_LIMITS.key) return keyName !== undefined;
    if (throttler.name === RATE_LIMITS.ip) return keyName === undefined;
    return false;
  }

  /** The key a request presents, or the console session it signed in with (counted as that key). */
  private keyNameOf(request: Request): string | undefined {
    const key = presentedKey(request.headers.authorization ?? '');
    if (key !== undefined) return this.keyNames.get(digest(key));
    return this.sessions.keyNameOf(request);
  }
}
