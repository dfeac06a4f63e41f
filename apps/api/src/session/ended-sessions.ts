import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../../../core/schemas/config';
import { type EndedSessions as EndedSessionsState, type EndSessionInput, SESSION_LIMITS } from '../../../../core/model/sessions';
import { endSession, readEndedSessions } from '../../../../temporal-client/sessions';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG } from '../tokens';

interface Read {
  at: number;
  ids: Set<string>;
  endedBefore?: number;
}

/**
 * Which sessions have ended. A sign-out is written to the sessions workflow (durable, seen by
 * every replica) and noted here at once; other replicas see it at their next read, which
 * each makes at most once per `SESSION_REVOCATION_CACHE_MS`. When that read fails, cookies
 * are not trusted on an old one: the request is answered 503.
 */
@Injectable()
export class EndedSessions {
  /** Sessions ended through this process, by id, with their expiry; bounded like the workflow's list. */
  private readonly local = new Map<string, number>();
  private last?: Read;
  private reading?: Promise<Read>;

  constructor(
    private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async hasEnded(id: string, issuedAt: number): Promise<boolean> {
    if (this.local.has(id)) return true;
    const read = await this.current();
    return read.ids.has(id) || (read.endedBefore !== undefined && issuedAt < read.endedBefore);
  }

  /** Ends a session here at once, and everywhere once the workflow has it. */
  async end(end: EndSessionInput): Promise<void> {
    this.remember(end.id, end.expiresAt);
    await this.temporal.call('ending a session', (client) => endSession(client, { taskQueue: this.temporal.taskQueue, end }));
  }

  private remember(id: string, expiresAt: number): void {
    const now = Date.now();
    for (const [held, until] of this.local) if (until <= now) this.local.delete(held);
    // The workflow holds every end durably: dropping the oldest here only loses a shortcut.
    if (this.local.size >= SESSION_LIMITS.maxEnded) this.local.delete(this.local.keys().next().value!);
    this.local.set(id, expiresAt);
  }

  private async current(): Promise<Read> {
    const cacheMs = this.config.sessionRevocationCacheMs;
    if (this.last && cacheMs > 0 && Date.now() - this.last.at < cacheMs) return this.last;
    // One read at a time: requests arriving meanwhile share it.
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<Read> {
    const at = Date.now();
    const state: EndedSessionsState = await this.temporal.call('reading ended sessions', (client) =>
      readEndedSessions(client, this.temporal.taskQueue),
    );
    const read: Read = { at, ids: new Set(state.ended.map((session) => session.id)), endedBefore: state.endedBefore };
    this.last = read;
    return read;
  }
}
