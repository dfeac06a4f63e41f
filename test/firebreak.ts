import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { DestinationStream } from 'pino';
import type { SnsTransport } from '../apps/api/src/alerts/vendor-alerts.controller';
import { createApiApp } from '../apps/api/src/app';
import { createLogger } from '../apps/api/src/observability/logger';
import { secretValues } from '../apps/api/src/observability/secrets';
import { PinoTemporalLogger, type WorkerTracing } from '../apps/worker/src/observability';
import { WorkerMetrics } from '../apps/worker/src/metrics';
import { createFirebreakWorker } from '../apps/worker/src/worker';
import { loadConfig, type Config } from '../core/schemas/config';
import type { IntegrationsConfig } from '../core/schemas/integrations-config';
import type { OperatorConfig } from '../core/schemas/operator-config';
import { HttpClient } from './http';
import { runbookCatalog } from './runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from './temporal';

/**
 * The SDK's logger for the whole test process (it is installed once per process): warnings
 * and errors to the console, as worker lifecycle chatter would bury test output, and every
 * line also to the worker logger of a Firebreak started with `logs`.
 */
class TestRuntimeLogger implements TemporalLogger {
  private readonly console = new DefaultLogger('WARN');
  /** The worker logger lines are copied to, while a Firebreak started with `logs` runs. */
  capture: TemporalLogger | undefined;

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.console.log(level, message, meta);
    this.capture?.log(level, message, meta);
  }

  trace = (message: string, meta?: LogMetadata) => this.log('TRACE', message, meta);
  debug = (message: string, meta?: LogMetadata) => this.log('DEBUG', message, meta);
  info = (message: string, meta?: LogMetadata) => this.log('INFO', message, meta);
  warn = (message: string, meta?: LogMetadata) => this.log('WARN', message, meta);
  error = (message: string, meta?: LogMetadata) => this.log('ERROR', message, meta);
}

const runtimeLogger = new TestRuntimeLogger();
Runtime.install({ logger: runtimeLogger });

/** Keys every end-to-end test starts with, one per role: random-looking and 40 characters, as `API_KEYS` requires. */
export const TEST_KEYS = {
  admin: 'k-N0AAha8S36laNRddwedt4iWjk0EzEpdJm7JBEq',
  commander: '9JYZTP7dy3QRq7BuAXrHjkNS1k_AAQeM0zGvi_tB',
  responder: '2uaib4jTA7ftrAlDU7xIWgGtwZlR2wB1t8p83pCl',
  viewer: 'RkT2oEa-6KwsvoBbgNm1MEjYzGJB6LkH5bexEuP9',
  sender: 'TJsfnyyfeWD2NdOFUx2JnvxdSlygLxnDc_765Wn9',
} as const;
/** The name each test key is configured under: the actor the timeline records. */
export const TEST_KEY_NAMES = {
  admin: 'ops',
  commander: 'incident-lead',
  responder: 'alertmanager',
  viewer: 'dashboard',
  sender: 'prometheus',
} as const satisfies Record<keyof typeof TEST_KEYS, string>;
/** Signs acknowledgement links in end-to-end tests, so a test can make its own (tampered, expired) ones. */
export const TEST_ACK_SECRET = 'test-ack-signing-secret-0123456789abcdef';
/** `API_KEYS` with every test key, for tests that start the API themselves. */
export const TEST_API_KEYS = (Object.keys(TEST_KEYS) as Array<keyof typeof TEST_KEYS>)
  .map((role) => `${TEST_KEY_NAMES[role]}:${role}:${TEST_KEYS[role]}`)
  .join(',');
const API_KEYS = TEST_API_KEYS;

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
  /**
   * Where the API's and the worker's JSON log lines go (through the same loggers as in
   * production, at LOG_LEVEL); by default the API writes to standard output at `error` and
   * the worker's lines go to the console from `WARN`. One Firebreak at a time in a process.
   */
  logs?: DestinationStream;
  /** Where the worker's spans go, workflow spans included (register the tracer provider first). */
  tracing?: WorkerTracing;
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
    /** The worker's metrics (response times from the record), kept across worker restarts. */
    readonly workerMetrics: WorkerMetrics,
  ) {}

  static async start(options: FirebreakOptions = {}): Promise<TestFirebreak> {
    const config = loadConfig({
      API_KEYS,
      TEMPORAL_ADDRESS: options.temporalAddress ?? sharedTemporalAddress(),
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? uniqueTaskQueue('e2e'),
      LOG_LEVEL: 'error',
      ACK_SIGNING_SECRET: TEST_ACK_SECRET,
      // Its own folder: what an API keeps on disk (the audit spool) never reaches another test.
      DATA_DIR: mkdtempSync(join(tmpdir(), 'firebreak-e2e-')),
      ...options.env,
    });
    const workerMetrics = new WorkerMetrics();
    const worker = await TestFirebreak.startWorker(config, options, workerMetrics);
    if (options.logs) {
      const secrets = secretValues({ config, settings: [options.integrations] });
      runtimeLogger.capture = new PinoTemporalLogger(createLogger({ service: 'firebreak-worker', level: config.logLevel, secrets, destination: options.logs }));
    }
    const app = await createApiApp(config, { operator: options.operator, sns: options.sns, runbooks: runbookCatalog(), integrations: options.integrations, logs: options.logs });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const http = new HttpClient(`http://127.0.0.1:${address.port}`);
    return new TestFirebreak(config, http, app, worker, options, workerMetrics);
  }

  private static async startWorker(config: Config, { operator, integrations, tracing }: FirebreakOptions, metrics: WorkerMetrics) {
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await createFirebreakWorker({ config, connection, workflowBundle: workflowBundle(), operator, integrations, tracing, onMilestones: metrics.milestonesReached });
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
    this.worker = await TestFirebreak.startWorker(this.config, this.options, this.workerMetrics);
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.stopWorker();
    if (this.options.logs) runtimeLogger.capture = undefined;
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
