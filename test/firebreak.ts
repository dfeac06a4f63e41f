import type { INestApplication } from '@nestjs/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { SnsTransport } from '../apps/api/src/alerts/vendor-alerts.controller';
import { createApiApp } from '../apps/api/src/app';
import { createFirebreakWorker } from '../apps/worker/src/worker';
import { loadConfig, type Config } from '../core/schemas/config';
import type { IntegrationsConfig } from '../core/schemas/integrations-config';
import type { OperatorConfig } from '../core/schemas/operator-config';
import { HttpClient } from './http';
import { runbookCatalog } from './runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from './temporal';

// Worker lifecycle chatter would bury test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** Keys every end-to-end test starts with, one per role. */
export const TEST_KEYS = {
  admin: 'admin-key-0123456789',
  responder: 'responder-key-0123456789',
  viewer: 'viewer-key-0123456789',
} as const;
/** Signs acknowledgement links in end-to-end tests, so a test can make its own (tampered, expired) ones. */
export const TEST_ACK_SECRET = 'test-ack-signing-secret-0123456789abcdef';
const API_KEYS = `ops:admin:${TEST_KEYS.admin},alertmanager:responder:${TEST_KEYS.responder},dashboard:viewer:${TEST_KEYS.viewer}`;

export interface FirebreakOptions {
  /** Temporal to use; the run's shared server by default. */
  temporalAddress?: string;
  /** Reuse a task queue (to restart on the same queue); a fresh one by default. */
  taskQueue?: string;
  env?: Record<string, string>;
  /** Routes, policies and monitors; default: the files in `runbooks/`. */
  operator?: OperatorConfig;
  /** How the SNS route reaches SNS (tests serve their own signing certificate). */
  sns?: SnsTransport;
  /** The worker's adapters (vendor stubs); every capability local by default. */
  integrations?: IntegrationsConfig;
}

/**
 * One Firebreak in the test process: a real worker on its own task queue and the real API
 * listening on a free port, both against a real Temporal server.
 */
export class TestFirebreak {
  private constructor(
    readonly config: Config,
    readonly http: HttpClient,
    private readonly app: INestApplication,
    private worker: { worker: Worker; running: Promise<void>; connection: NativeConnection } | undefined,
    private readonly options: FirebreakOptions,
  ) {}

  static async start(options: FirebreakOptions = {}): Promise<TestFirebreak> {
    const config = loadConfig({
      API_KEYS,
      TEMPORAL_ADDRESS: options.temporalAddress ?? sharedTemporalAddress(),
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? uniqueTaskQueue('e2e'),
      LOG_LEVEL: 'error',
      ACK_SIGNING_SECRET: TEST_ACK_SECRET,
      ...options.env,
    });
    const worker = await TestFirebreak.startWorker(config, options);
    const app = await createApiApp(config, { operator: options.operator, sns: options.sns, runbooks: runbookCatalog(), integrations: options.integrations });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const http = new HttpClient(`http://127.0.0.1:${address.port}`);
    return new TestFirebreak(config, http, app, worker, options);
  }

  private static async startWorker(config: Config, { operator, integrations }: FirebreakOptions) {
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await createFirebreakWorker({ config, connection, workflowBundle: workflowBundle(), operator, integrations });
    return { worker, running: worker.run(), connection };
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  /** The API as each role sees it. */
  as(role: keyof typeof TEST_KEYS): HttpClient {
    return this.http.as(TEST_KEYS[role]);
  }

  async stopWorker(): Promise<void> {
    if (!this.worker) return;
    const { worker, running, connection } = this.worker;
    this.worker = undefined;
    worker.shutdown();
    await running;
    await connection.close();
  }

  /** Starts the worker again after {@link stopWorker}, on the same task queue. */
  async startWorker(): Promise<void> {
    if (this.worker) throw new Error('the worker is running');
    this.worker = await TestFirebreak.startWorker(this.config, this.options);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.stopWorker();
  }
}

/**
 * One Firebreak for a whole describe block: started before its tests, stopped after them.
 * Its fields are set once it has started, so read them in tests and hooks.
 */
export function useTestFirebreak(options: FirebreakOptions = {}): { firebreak: TestFirebreak; responder: HttpClient; viewer: HttpClient } {
  const started = {} as { firebreak: TestFirebreak; responder: HttpClient; viewer: HttpClient };
  beforeAll(async () => {
    started.firebreak = await TestFirebreak.start(options);
    started.responder = started.firebreak.as('responder');
    started.viewer = started.firebreak.as('viewer');
  });
  afterAll(() => started.firebreak?.stop());
  return started;
}
