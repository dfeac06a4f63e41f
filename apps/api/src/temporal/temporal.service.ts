import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../../../../core/schemas/config';
import { firebreakClientInterceptors } from '../../../../temporal-client/request-context';
import { CONFIG } from '../tokens';
import { isTemporalRejection, TemporalRejectedError } from './temporal-rejected.error';
import { isTemporalUnavailable, TemporalUnavailableError } from './temporal-unavailable.error';
import { temporalConnectionOptions } from '../../../../temporal-client/connection-options';

/**
 * The API's one connection to Temporal. It connects lazily, so the API starts (and
 * answers `/readyz` honestly) while Temporal is down; every call runs under a deadline and
 * "not reached in time" becomes {@link TemporalUnavailableError} (503 with Retry-After).
 */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  readonly namespace: string;
  readonly taskQueue: string;

  constructor(@Inject(CONFIG) private readonly config: Config) {
    this.connection = Connection.lazy(temporalConnectionOptions(config.temporal));
    this.namespace = config.temporal.namespace;
    this.taskQueue = config.temporal.taskQueue;
    // Carries the request id and the trace into every workflow call (temporal-client/request-context.ts).
    this.client = new Client({ connection: this.connection, namespace: this.namespace, interceptors: firebreakClientInterceptors() });
  }

  /**
   * Runs `fn` with a deadline, mapping unreachability to {@link TemporalUnavailableError}
   * (503) and Temporal's refusal of a value as invalid to {@link TemporalRejectedError} (400).
   */
  async call<T>(operation: string, fn: (client: Client) => Promise<T>, timeoutMs = this.config.temporalRpcTimeoutMs) {
    try {
      return await this.connection.withDeadline(Date.now() + timeoutMs, () => fn(this.client));
    } catch (error) {
      if (isTemporalUnavailable(error)) {
        throw new TemporalUnavailableError(operation, Math.max(1, Math.ceil(timeoutMs / 1000)), { cause: error });
      }
      if (isTemporalRejection(error)) throw new TemporalRejectedError(operation, { cause: error });
      throw error;
    }
  }

  /** Whether Temporal answers within the RPC deadline. */
  async isReachable(): Promise<boolean> {
    try {
      await this.call('a health check', () => this.connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
