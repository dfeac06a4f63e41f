/**
 * The record as the API and the worker use it: one connection pool, the schema brought up
 * to date before the first use (retried on the next use when the server was down), and
 * every failure to reach the server as a {@link RecordUnavailableError}.
 */
import { connectRecord, type RecordConnectOptions, type RecordDatabaseHandle } from './connect';
import { isRecordUnavailable, RecordUnavailableError } from './errors';
import type { RecordExecutionInput, RecordIncidentInput } from './projection';
import { listIncidents, readIncident, type RecordListQuery, similarIncidents, similarityOf, type SimilarTo } from './reads';
import { responseReport, type ResponseReportQuery, runbookReport, type RunbookReportQuery } from './reports';
import { writeExecution, writeIncident } from './writes';

export interface RecordStoreOptions extends RecordConnectOptions {
  /** What a 503 tells clients to wait before retrying, in seconds. @default 5 */
  retryAfterSeconds?: number;
}

export class RecordStore {
  private ready?: Promise<void>;
  private readonly retryAfterSeconds: number;

  private constructor(
    private readonly handle: RecordDatabaseHandle,
    options: RecordStoreOptions,
  ) {
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
  }

  /** Connects lazily: nothing is opened until the first use. */
  static connect(url: string, options: RecordStoreOptions = {}): RecordStore {
    return new RecordStore(connectRecord(url, options), options);
  }

  /** The Kysely instance, for tests and tools that read the tables directly. */
  get db() {
    return this.handle.db;
  }

  /** Applies pending migrations once per process; a failed attempt is retried by the next call. */
  ensureReady(): Promise<void> {
    this.ready ??= this.handle.migrate().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      await this.ensureReady();
      return await fn();
    } catch (error) {
      if (isRecordUnavailable(error)) throw new RecordUnavailableError(operation, this.retryAfterSeconds, { cause: error });
      throw error;
    }
  }

  /** Writes an incident; answers the milestones this write recorded first. */
  recordIncident(input: RecordIncidentInput) {
    return this.run('recording an incident', () => writeIncident(this.handle.db, input));
  }

  recordExecution(input: RecordExecutionInput) {
    return this.run('recording a runbook execution', () => writeExecution(this.handle.db, input));
  }

  readIncident(id: string) {
    return this.run('reading an incident', () => readIncident(this.handle.db, id));
  }

  listIncidents(query: RecordListQuery) {
    return this.run('searching incidents', () => listIncidents(this.handle.db, query));
  }

  similarityOf(id: string) {
    return this.run('reading an incident', () => similarityOf(this.handle.db, id));
  }

  similarIncidents(like: SimilarTo) {
    return this.run('finding similar incidents', () => similarIncidents(this.handle.db, like));
  }

  responseReport(query: ResponseReportQuery) {
    return this.run('computing the response report', () => responseReport(this.handle.db, query));
  }

  runbookReport(query: RunbookReportQuery) {
    return this.run('computing the runbook report', () => runbookReport(this.handle.db, query));
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
