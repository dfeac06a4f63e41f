import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Config } from '../../../../core/schemas/config';
import { type AuditEntry, AuditLog } from '../../../../record/audit';
import { RecordService } from '../record/record.service';
import { CONFIG } from '../tokens';
import { AuditSpool } from './audit-spool';

/** Entries held in memory at most; past it, they go to the spool at once. */
export const AUDIT_QUEUE_MAX = 5_000;
/** Entries one write to the table carries at most. */
const BATCH = 500;
/** How often the spool is replayed while it holds entries. */
const REPLAY_EVERY_MS = 2_000;

/**
 * Writes audit entries after their requests were answered, never holding a request up nor
 * failing it: a bounded queue in memory, written in batches to the record's `audit_log`; while
 * the record is out of reach, to the spool on disk (see {@link AuditSpool}), replayed into
 * the table once it answers again, after a restart too. Without `DATABASE_URL` there is no
 * table: each entry is written to the log as an `audit` line.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('audit');
  private readonly queue: AuditEntry[] = [];
  private readonly log?: AuditLog;
  readonly spool: AuditSpool;
  private writing?: Promise<void>;
  /** The record failed the last write: entries go to the spool until a replay succeeds. */
  private spooling = false;
  private replayTimer?: NodeJS.Timeout;
  private replaying?: Promise<void>;

  constructor(@Inject(CONFIG) config: Config, record: RecordService) {
    this.spool = new AuditSpool(config.dataDir);
    if (record.configured) this.log = new AuditLog(record.store);
  }

  /** The audit log to read; undefined without `DATABASE_URL`. */
  get auditLog(): AuditLog | undefined {
    return this.log;
  }

  /** Takes an entry to write soon. Never throws, never waits. */
  record(entry: AuditEntry): void {
    if (!this.log) {
      this.logger.log({ audit: entry }, 'audit');
      return;
    }
    this.queue.push(entry);
    if (this.queue.length >= AUDIT_QUEUE_MAX) this.spill(this.queue.splice(0));
    this.writing ??= Promise.resolve().then(() => this.drain()).finally(() => (this.writing = undefined));
  }

  onApplicationBootstrap(): void {
    // Entries spooled before a restart go in as soon as the record answers.
    if (this.log && this.spool.pending()) this.scheduleReplay(0);
  }

  /** Writes what is queued before the API stops: to the table if it answers, else to the spool. */
  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    await this.writing;
    await this.replaying;
    if (this.queue.length > 0) await this.drain();
  }

  /** Resolves once everything queued so far is in the table or the spool (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH);
      if (this.spooling || !this.log) {
        this.spill(batch);
        continue;
      }
      try {
        await this.log.append(batch);
      } catch (error) {
        this.logger.warn(`audit entries go to the spool until the record answers: ${error instanceof Error ? error.message : String(error)}`);
        this.spooling = true;
        this.spill(batch);
        this.scheduleReplay(REPLAY_EVERY_MS);
      }
    }
  }

  private spill(entries: AuditEntry[]): void {
    try {
      const kept = this.spool.append(entries);
      if (kept < entries.length) this.logger.error(`the audit spool is full: ${entries.length - kept} entries were not kept (${this.spool.dropped} since start)`);
    } catch (error) {
      this.logger.error(`${entries.length} audit entries could not be spooled: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private scheduleReplay(delayMs: number): void {
    if (this.replayTimer || !this.log) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      this.replaying = this.replay().finally(() => (this.replaying = undefined));
    }, delayMs);
    this.replayTimer.unref();
  }

  private async replay(): Promise<void> {
    const log = this.log!;
    try {
      const replayed = await this.spool.replay((entries) => log.append(entries), BATCH);
      this.spooling = false;
      if (replayed > 0) this.logger.log(`${replayed} spooled audit entries written to the record`);
    } catch (error) {
      this.logger.warn(`the audit spool waits for the record: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Entries spooled while this replay ran (or all of them, when it failed) wait for the next.
    if (this.spool.pending()) this.scheduleReplay(REPLAY_EVERY_MS);
  }
}
