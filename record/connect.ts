/**
 * One way to reach the record: a `pg` pool behind Kysely's PostgreSQL dialect, whether the
 * server is a managed PostgreSQL or the embedded PGlite served over the wire protocol. The
 * schema is brought up to date by {@link RecordDatabaseHandle.migrate}, which the API and the
 * worker both call at start: Kysely's migrator holds an advisory lock and applies each
 * migration in a transaction, so processes starting together apply each migration once.
 */
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { migrationProvider } from './migrations';
import type { RecordDatabase } from './schema';

export interface RecordConnectOptions {
  /** Connections this process holds at most. @default 5 */
  maxConnections?: number;
  /** How long to wait for a connection before failing (the server is down). @default 2000 */
  connectTimeoutMs?: number;
  /** How long one statement may run before the server cancels it. @default 10000 */
  statementTimeoutMs?: number;
}

export interface RecordDatabaseHandle {
  db: Kysely<RecordDatabase>;
  /** Applies every migration not applied yet; safe to call from many processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export function connectRecord(url: string, options: RecordConnectOptions = {}): RecordDatabaseHandle {
  const pool = new Pool({
    connectionString: url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    // A client-side bound too: PGlite ignores statement_timeout, and a stopped server may never answer.
    query_timeout: (options.statementTimeoutMs ?? 10_000) + 2_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server drops (a restart, an outage) is an event, not a crash:
  // the next query opens a fresh one or fails as unavailable.
  pool.on('error', () => {});
  // So is a checked-out connection the server ends between two queries: its query fails,
  // and the event must not reach the process as an unhandled 'error'.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<RecordDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    async migrate() {
      const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'record_migration', migrationLockTableName: 'record_migration_lock' });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((result) => result.status === 'Error')?.migrationName;
        throw new Error(`the record's migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    close: () => db.destroy(),
  };
}
