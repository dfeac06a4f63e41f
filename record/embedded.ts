/**
 * The embedded record: PGlite (PostgreSQL compiled to WebAssembly) persisted in a folder and
 * served over PostgreSQL's wire protocol on loopback, so the API and the worker reach it
 * with the same driver and SQL as a managed PostgreSQL. One process owns the folder.
 *
 * PGlite is one database session. pglite-socket's handler speaks the protocol per
 * connection, but its shared queue interleaves the messages of different connections
 * between a Parse and its Sync (`unnamed prepared statement does not exist` once several
 * pools send parameterised queries at once). {@link ProtocolUnits} gives one connection the
 * session from its first message to the Sync or Query that ends its unit, and for the whole
 * of an open transaction.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';

export interface EmbeddedRecordOptions {
  /** Where the database lives; in memory when absent. */
  dataDir?: string;
  /** @default 127.0.0.1 */
  host?: string;
  /** @default 0 (a free port) */
  port?: number;
  /** Connections served at once (each process's pool counts). @default 64 */
  maxConnections?: number;
  /** How often the server vacuums and analyzes (PGlite has no autovacuum); 0: never. @default 15 minutes */
  maintenanceMs?: number;
}

export interface EmbeddedRecord {
  /** `postgres://…` for `DATABASE_URL`. */
  url: string;
  /** Stops serving (clients see the server gone) without closing the database. */
  pause(): Promise<void>;
  /** Serves again on the same address after {@link pause}. */
  resume(): Promise<void>;
  /** Stops serving and closes the database, flushing it to its folder. */
  stop(): Promise<void>;
}

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** The handler id of the server's own maintenance: never a connection's. */
const MAINTENANCE = -1;

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
/** The startup message and SSL/cancel requests begin with their length, whose first byte is 0. */
const UNTYPED = 0x00;

/**
 * `sql` as a simple-protocol Query message, to run on the session while this server holds
 * it: PGlite's own `exec` takes the lock that `runExclusive` holds, so inside it, it would
 * wait for ever (and every connection behind it).
 */
function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/** Hands PGlite's one session to one connection at a time, a protocol unit (or a transaction) at a time. */
class ProtocolUnits {
  private readonly queue: Pending[] = [];
  private owner: number | undefined;
  private running = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  private next(): Pending | undefined {
    const index = this.owner === undefined ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const statement = this.statements.get(item.message);
        if (statement !== undefined) {
          await this.db.runExclusive(() => this.db.execProtocolRaw(queryMessage(statement))).then(() => item.resolve(0), item.reject);
          continue;
        }
        const type = item.message[0];
        if (type !== UNTYPED) this.owner = item.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        const unitEnds = type === SYNC || type === QUERY || type === TERMINATE;
        if (unitEnds && !this.db.isInTransaction()) this.owner = undefined;
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs `statement` between units, when no connection holds the session (VACUUM may not run
   * inside a transaction block). PGlite has no autovacuum: without this, index-only scans
   * (the reports' covering index) never start.
   */
  maintain(statement: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const message = new Uint8Array(0);
      this.queue.push({ handlerId: MAINTENANCE, message, onData: () => {}, resolve: () => resolve(), reject });
      this.statements.set(message, statement);
      void this.pump();
    });
  }

  private readonly statements = new WeakMap<Uint8Array, string>();

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      if (this.queue[index].handlerId !== handlerId) continue;
      this.queue.splice(index, 1)[0].reject(new Error('connection closed'));
    }
  }

  /** A connection gone mid-unit or mid-transaction: end what it left open so the others may go on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      // A Sync closes an unfinished extended-protocol unit; then roll back what it left open.
      await this.db.execProtocolRaw(new Uint8Array([SYNC, 0, 0, 0, 4]));
      if (this.db.isInTransaction()) await this.db.execProtocolRaw(queryMessage('ROLLBACK'));
    });
    this.owner = undefined;
    void this.pump();
  }
}

export async function startEmbeddedRecord(options: EmbeddedRecordOptions = {}): Promise<EmbeddedRecord> {
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const maxConnections = options.maxConnections ?? 64;
  const units = new ProtocolUnits(db);
  const handlers = new Set<PGLiteSocketHandler>();

  const accept = (socket: Socket) => {
    if (handlers.size >= maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue: units as unknown as PGLiteSocketHandlerOptions['queryQueue'], closeOnDetach: true });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  };
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(accept);
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  const close = async (server: Server) => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...handlers].map((handler) => handler.detach(true)));
    handlers.clear();
    await closed;
  };

  const maintenanceMs = options.maintenanceMs ?? 15 * 60_000;
  const maintenance =
    maintenanceMs > 0
      ? setInterval(() => {
          units.maintain('VACUUM (ANALYZE)').catch(() => {});
        }, maintenanceMs).unref()
      : undefined;
  let server: Server | undefined = await listen(options.port ?? 0);
  const port = (server.address() as { port: number }).port;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async pause() {
      if (server) await close(server);
      server = undefined;
    },
    async resume() {
      server ??= await listen(port);
    },
    async stop() {
      clearInterval(maintenance);
      if (server) await close(server);
      server = undefined;
      await db.close();
    },
  };
}
