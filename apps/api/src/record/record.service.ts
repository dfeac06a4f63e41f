import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Config } from '../../../../core/schemas/config';
import { RecordNotConfiguredError } from '../../../../record/errors';
import { RecordStore } from '../../../../record/store';
import { CONFIG } from '../tokens';

/**
 * The API's handle on the lasting record (`DATABASE_URL`). It connects lazily and brings
 * the schema up to date at start without waiting for it, so the API starts, and its live
 * reads answer, while the record is down; a read of the record then answers 503.
 */
@Injectable()
export class RecordService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('record');
  private readonly connected?: RecordStore;

  constructor(@Inject(CONFIG) config: Config) {
    if (config.databaseUrl) this.connected = RecordStore.connect(config.databaseUrl, { retryAfterSeconds: 5 });
  }

  /** Whether this process has a record to read. */
  get configured(): boolean {
    return this.connected !== undefined;
  }

  /** The store; {@link RecordNotConfiguredError} (503) without `DATABASE_URL`. */
  get store(): RecordStore {
    if (!this.connected) throw new RecordNotConfiguredError();
    return this.connected;
  }

  onApplicationBootstrap(): void {
    this.connected?.ensureReady().catch((error: unknown) => {
      // Retried by the first read; the API serves live reads meanwhile.
      this.logger.warn(`the record's schema is not up to date yet: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connected?.close();
  }
}
