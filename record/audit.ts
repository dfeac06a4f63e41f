/**
 * The audit log in the record: who did what through the API, the console, the CLI or Slack,
 * and whether it was allowed (docs/audit.md). Rows are only ever inserted: the table's
 * trigger refuses UPDATE and DELETE (migrations/0002-audit-log.ts). Each entry carries the
 * UUID it was given when its request was answered, so an entry written twice (a replayed
 * spool, a retried batch) is stored once.
 */
import { type ColumnType, type Generated, type Kysely, sql } from 'kysely';
import { isRecordUnavailable, RecordUnavailableError } from './errors';
import type { RecordDatabase } from './schema';
import type { RecordStore } from './store';
import { cleanString } from './text';

export const AUDIT_VIAS = ['api', 'console', 'cli', 'slack'] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

export const AUDIT_OUTCOMES = ['allowed', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Characters kept of each text field (a principal, a route, an action…); longer ones are cut. */
export const AUDIT_FIELD_MAX = 256;
/** Entries in `details` kept at most. */
export const AUDIT_DETAILS_MAX = 8;
/** Entries one page answers at most. */
export const AUDIT_PAGE_MAX = 1_000;
/** Rows one insert carries at most (PostgreSQL takes at most 65,535 parameters a statement). */
const INSERT_BATCH = 500;

/** One audited request, as the API made it. Dates travel as ISO strings. */
export interface AuditEntry {
  /** A UUID given when the request was answered: the entry's identity, whatever the path to the table. */
  entryId: string;
  at: string;
  /** The key's name or the signed-in person; absent when the request named nobody. */
  principal?: string;
  role?: string;
  via: AuditVia;
  method: string;
  /** The route pattern (`/v1/incidents/:id/actions`), never the URL with its values. */
  route?: string;
  /** What the request acted on: an incident id, an execution id, a runbook, a schedule. */
  target?: string;
  /** The action the body named, the Slack command, the button pressed. */
  action?: string;
  outcome: AuditOutcome;
  status: number;
  requestId?: string;
  sourceIp?: string;
  /** Short facts besides (the Slack user id, what credentials a refused request brought). */
  details?: Record<string, string>;
}

/** An entry as the table holds it: with its place in the log. */
export interface AuditRecord extends AuditEntry {
  /** Grows with each insert; orders entries of the same instant. */
  id: string;
}

/** Where a page ended: its last entry's time and id. */
export interface AuditCursor {
  at: string;
  id: string;
}

export interface AuditQuery {
  /** Entries at or after this time. */
  since?: string;
  /** Entries before this time. */
  until?: string;
  principal?: string;
  target?: string;
  outcome?: AuditOutcome;
  limit: number;
  after?: AuditCursor;
}

type Time = ColumnType<Date, Date | string, never>;

export interface AuditLogTable {
  id: Generated<string>;
  entry_id: string;
  at: Time;
  principal: string | null;
  role: string | null;
  via: AuditVia;
  method: string;
  route: string | null;
  target: string | null;
  action: string | null;
  outcome: AuditOutcome;
  status: number;
  request_id: string | null;
  source_ip: string | null;
  details: ColumnType<Record<string, string> | null, string | null, never>;
}

type AuditDatabase = RecordDatabase & { audit_log: AuditLogTable };

const field = (value: string | undefined): string | null => (value === undefined ? null : cleanString(value.slice(0, AUDIT_FIELD_MAX)));

function detailsOf(details: Record<string, string> | undefined): string | null {
  if (!details) return null;
  const kept = Object.entries(details)
    .slice(0, AUDIT_DETAILS_MAX)
    .map(([key, value]) => [field(key), field(value)]);
  return kept.length === 0 ? null : JSON.stringify(Object.fromEntries(kept));
}

function rowOf(entry: AuditEntry) {
  return {
    entry_id: entry.entryId,
    at: entry.at,
    principal: field(entry.principal),
    role: field(entry.role),
    via: entry.via,
    method: entry.method.slice(0, 16),
    route: field(entry.route),
    target: field(entry.target),
    action: field(entry.action),
    outcome: entry.outcome,
    status: entry.status,
    request_id: field(entry.requestId),
    source_ip: field(entry.sourceIp),
    details: detailsOf(entry.details),
  };
}

const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function recordOf(row: { [K in keyof AuditLogTable]: AuditLogTable[K] extends ColumnType<infer S, unknown, unknown> ? S : AuditLogTable[K] }): AuditRecord {
  return {
    id: String(row.id),
    entryId: row.entry_id,
    at: new Date(row.at).toISOString(),
    principal: opt(row.principal),
    role: opt(row.role),
    via: row.via,
    method: row.method,
    route: opt(row.route),
    target: opt(row.target),
    action: opt(row.action),
    outcome: row.outcome,
    status: row.status,
    requestId: opt(row.request_id),
    sourceIp: opt(row.source_ip),
    details: opt(row.details) ?? undefined,
  };
}

/** The cursor as clients carry it: opaque, URL-safe. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** The cursor of an `encodeAuditCursor` string; undefined for anything else. */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, id] = value as unknown[];
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) return undefined;
    return { at: new Date(at).toISOString(), id };
  } catch {
    return undefined;
  }
}

/** Inserts entries not stored yet; answers how many were new. */
export async function appendAuditEntries(db: Kysely<RecordDatabase>, entries: readonly AuditEntry[]): Promise<number> {
  const audit = db.withTables<{ audit_log: AuditLogTable }>();
  let inserted = 0;
  for (let start = 0; start < entries.length; start += INSERT_BATCH) {
    const rows = entries.slice(start, start + INSERT_BATCH).map(rowOf);
    const result = await audit
      .insertInto('audit_log')
      .values(rows)
      .onConflict((conflict) => conflict.column('entry_id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** One page, newest first, and the cursor of the next when there may be one. */
export async function queryAuditLog(db: Kysely<RecordDatabase>, query: AuditQuery): Promise<{ entries: AuditRecord[]; next?: AuditCursor }> {
  const audit = db.withTables<{ audit_log: AuditLogTable }>() as unknown as Kysely<AuditDatabase>;
  let select = audit.selectFrom('audit_log').selectAll();
  if (query.since) select = select.where('at', '>=', new Date(query.since));
  if (query.until) select = select.where('at', '<', new Date(query.until));
  if (query.principal) select = select.where('principal', '=', query.principal);
  if (query.target) select = select.where('target', '=', query.target);
  if (query.outcome) select = select.where('outcome', '=', query.outcome);
  if (query.after) select = select.where(sql<boolean>`(at, id) < (${new Date(query.after.at)}, ${query.after.id}::bigint)`);
  const limit = Math.min(Math.max(1, query.limit), AUDIT_PAGE_MAX);
  const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const entries = rows.slice(0, limit).map(recordOf);
  const last = entries.at(-1);
  return rows.length > limit && last ? { entries, next: { at: last.at, id: last.id } } : { entries };
}

/**
 * The audit log through the record's connection: the schema brought up to date first, and a
 * server out of reach as {@link RecordUnavailableError}, as every other use of the record.
 */
export class AuditLog {
  constructor(
    private readonly store: RecordStore,
    private readonly retryAfterSeconds = 5,
  ) {}

  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      await this.store.ensureReady();
      return await fn();
    } catch (error) {
      if (isRecordUnavailable(error)) throw new RecordUnavailableError(operation, this.retryAfterSeconds, { cause: error });
      throw error;
    }
  }

  append(entries: readonly AuditEntry[]): Promise<number> {
    return this.run('writing the audit log', () => appendAuditEntries(this.store.db, entries));
  }

  query(query: AuditQuery) {
    return this.run('reading the audit log', () => queryAuditLog(this.store.db, query));
  }

  /** Every entry the query matches (up to its `limit`), page after page, newest first. */
  async *export(query: AuditQuery): AsyncGenerator<AuditRecord[]> {
    let remaining = query.limit;
    let after = query.after;
    while (remaining > 0) {
      const page = await this.query({ ...query, after, limit: Math.min(remaining, AUDIT_PAGE_MAX) });
      if (page.entries.length > 0) yield page.entries;
      remaining -= page.entries.length;
      if (!page.next) return;
      after = page.next;
    }
  }
}
