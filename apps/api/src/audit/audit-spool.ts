/**
 * Where audit entries wait while the record is out of reach: JSON lines appended to
 * `DATA_DIR/audit-spool.jsonl`, flushed to disk (fsync) before the append returns, so they
 * survive a crash of the API or of the machine. A replay first claims the file by renaming
 * it (new entries then start a new file) and removes a claimed file only once every entry in
 * it is in the table; a crash mid-replay leaves the claimed file to the next replay, and the
 * entries' UUIDs make a second insert of the same entry a no-op.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditEntry } from '../../../../record/audit';

export const AUDIT_SPOOL_FILE = 'audit-spool.jsonl';
const CLAIMED = /^audit-spool\.[0-9a-f-]{36}\.claimed\.jsonl$/;

export interface AuditSpoolOptions {
  /** Bytes the spool may hold; past it new entries are dropped and counted. @default 256 MiB */
  maxBytes?: number;
}

export class AuditSpool {
  private readonly file: string;
  private readonly maxBytes: number;
  /** Entries dropped because the spool was full, since start. */
  dropped = 0;

  constructor(
    private readonly dir: string,
    options: AuditSpoolOptions = {},
  ) {
    this.file = join(dir, AUDIT_SPOOL_FILE);
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /**
   * Appends `entries` and flushes them to disk. Synchronous on purpose: a batch is written
   * whole before anything else in this process touches the file (a replay's rename).
   * Answers how many were kept (fewer only when the spool is full).
   */
  append(entries: readonly AuditEntry[]): number {
    if (entries.length === 0) return 0;
    mkdirSync(this.dir, { recursive: true });
    let room = this.maxBytes - this.bytes();
    const lines: string[] = [];
    for (const entry of entries) {
      const line = `${JSON.stringify(entry)}\n`;
      if (Buffer.byteLength(line) > room) break;
      room -= Buffer.byteLength(line);
      lines.push(line);
    }
    this.dropped += entries.length - lines.length;
    if (lines.length === 0) return 0;
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, lines.join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return lines.length;
  }

  /** Bytes waiting, claimed files included. */
  bytes(): number {
    return this.files().reduce((total, name) => {
      try {
        return total + statSync(join(this.dir, name)).size;
      } catch {
        return total;
      }
    }, 0);
  }

  /** Whether anything waits to be replayed. */
  pending(): boolean {
    return this.files().length > 0;
  }

  /**
   * Hands every waiting entry to `write`, `batchSize` at a time, oldest file first; a file is
   * removed once all of its entries were written. A failed `write` stops the replay with the
   * files still there. Answers how many entries were handed over.
   */
  async replay(write: (entries: AuditEntry[]) => Promise<unknown>, batchSize = 500): Promise<number> {
    this.claim();
    let replayed = 0;
    for (const name of this.files().filter((file) => CLAIMED.test(file))) {
      const path = join(this.dir, name);
      let batch: AuditEntry[] = [];
      const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        const entry = parseLine(line);
        if (!entry) continue;
        batch.push(entry);
        if (batch.length >= batchSize) {
          await write(batch);
          replayed += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) {
        await write(batch);
        replayed += batch.length;
      }
      rmSync(path, { force: true });
    }
    return replayed;
  }

  /** Moves the live file aside, so entries spooled from now on go to a new one. */
  private claim(): void {
    try {
      renameSync(this.file, join(this.dir, `audit-spool.${randomUUID()}.claimed.jsonl`));
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
  }

  private modifiedAt(name: string): number {
    try {
      return statSync(join(this.dir, name)).mtimeMs;
    } catch {
      return 0;
    }
  }

  private files(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name === AUDIT_SPOOL_FILE || CLAIMED.test(name))
        .map((name) => ({ name, at: this.modifiedAt(name) }))
        .sort((a, b) => a.at - b.at)
        .map(({ name }) => name);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** An entry of the spool; undefined for a line torn by a crash mid-write. */
function parseLine(line: string): AuditEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as Partial<AuditEntry>;
    return typeof value.entryId === 'string' && typeof value.at === 'string' ? (value as AuditEntry) : undefined;
  } catch {
    return undefined;
  }
}
