/**
 * The system under test, as the driver sees it: the Temporal dev server (a child process),
 * the worker host and the API host (forked children), a raw Temporal client for the
 * baselines, and the timing marks the instrumented activities send.
 */
import { randomBytes } from 'node:crypto';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';
import { BASELINE_TASK_QUEUE, baselineIngestUpdate, type BaselineInput } from '../baseline/messages';
import type { baselineWorkflow } from '../baseline/workflows';
import { calibrate, now, sleep } from './clock';
import { Host } from './host';
import { Http } from './http';
import type { ProcessStats } from './ipc';
import { Marks } from './marks';
import { pool } from './pool';

type BundlerOptions = Omit<Parameters<typeof bundleWorkflowCode>[0], 'workflowsPath'>;

/** What scripts/bench.mjs hands over: the dev server to start and where its data lives. */
export interface TemporalLaunch {
  binary: string;
  args: string[];
  address: string;
  dataDir: string;
  version: string;
}

export interface CpuSeconds {
  temporal: number;
  worker: number;
  api: number;
  driver: number;
}

/** CPU milliseconds per item between two {@link System.cpuSeconds} readings. */
export function cpuMsPer(before: CpuSeconds, after: CpuSeconds, items: number): CpuSeconds {
  const per = (key: keyof CpuSeconds) => Math.round(((after[key] - before[key]) * 1000 * 100) / Math.max(1, items)) / 100;
  return { temporal: per('temporal'), worker: per('worker'), api: per('api'), driver: per('driver') };
}

/** Fresh keys per run: the API refuses short or guessable ones. */
export const BENCH_KEY = randomBytes(24).toString('base64url');
const API_KEYS = `bench:responder:${BENCH_KEY},bench-admin:admin:${randomBytes(24).toString('base64url')}`;
export const TASK_QUEUE = 'firebreak-bench';

export interface SystemOptions {
  /** Extra Node flags for the worker and API hosts (e.g. `--cpu-prof`). */
  childExecArgv: string[];
  log: (line: string) => void;
}

export class System {
  readonly marks = new Marks();
  private server?: ChildProcess;
  private serverExit?: Promise<void>;
  private connection?: Connection;
  private temporalClient?: Client;
  private bundles?: { firebreak: string; baseline: string };
  private workerHost?: Host;
  private apiHost?: Host;
  private httpClient?: Http;
  private offsetMs = 0;
  clockErrorMs = 0;

  constructor(
    readonly temporal: TemporalLaunch,
    private readonly options: SystemOptions,
  ) {}

  get client(): Client {
    return started(this.temporalClient);
  }

  get http(): Http {
    return started(this.httpClient);
  }

  get worker(): Host {
    return started(this.workerHost);
  }

  get api(): Host {
    return started(this.apiHost);
  }

  async start(): Promise<void> {
    await this.startTemporal();
    this.bundles = await this.bundle();
    await this.startWorker();
    await this.startApi();
  }

  private async startTemporal(): Promise<void> {
    const { binary, args, address } = this.temporal;
    const server = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.server = server;
    const errors: string[] = [];
    server.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    this.serverExit = new Promise((done) => server.once('exit', () => done()));
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        this.connection = await Connection.connect({ address, connectTimeout: 1000 });
        break;
      } catch {
        if (server.exitCode !== null) throw new Error(`the Temporal dev server exited: ${errors.join('').slice(-2000)}`);
        if (Date.now() > until) throw new Error('the Temporal dev server did not listen within 60s');
        await sleep(200);
      }
    }
    this.temporalClient = new Client({ connection: this.connection });
    // The frontend listens before the default namespace is ready; wait for it.
    for (;;) {
      try {
        await this.connection.workflowService.describeNamespace({ namespace: 'default' });
        break;
      } catch (error) {
        if (Date.now() > until) throw error;
        await sleep(200);
      }
    }
  }

  /** Bundles Firebreak's workflows and the baseline's once, for every worker host of the run. */
  private async bundle(): Promise<{ firebreak: string; baseline: string }> {
    const logger = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };
    const write = async (name: string, workflowsPath: string, options: BundlerOptions = {}) => {
      const { code } = await bundleWorkflowCode({ workflowsPath, logger, ...options });
      const path = join(this.temporal.dataDir, `${name}-workflows.js`);
      writeFileSync(path, code);
      return path;
    };
    return {
      // As Firebreak's worker bundles them; the baseline gets the SDK's defaults.
      firebreak: await write('firebreak', require.resolve('../../workflows'), { ...workflowBundlerOptions(), workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES }),
      baseline: await write('baseline', require.resolve('../baseline/workflows')),
    };
  }

  /**
   * Starts a fresh worker host (empty workflow cache, fresh memory) and calibrates its clock;
   * with `databaseUrl`, its workflows write the incident record there.
   */
  async startWorker({ databaseUrl }: { databaseUrl?: string } = {}): Promise<void> {
    await this.workerHost?.stop();
    const host = await Host.start('worker host', join(__dirname, '../hosts/worker-host.js'), {
      execArgv: ['--expose-gc', ...this.options.childExecArgv],
      env: {
        BENCH_TEMPORAL_ADDRESS: this.temporal.address,
        BENCH_TASK_QUEUE: TASK_QUEUE,
        BENCH_FIREBREAK_BUNDLE: this.bundles!.firebreak,
        BENCH_BASELINE_BUNDLE: this.bundles!.baseline,
        ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}),
      },
    });
    this.workerHost = host;
    const { offsetMs, errorMs } = await calibrate(() => host.call<number>('clock'));
    this.offsetMs = offsetMs;
    this.clockErrorMs = errorMs;
    host.onMark((mark) => this.marks.add(mark.key, mark.at - this.offsetMs));
  }

  /**
   * Starts the API host, replacing a running one; `settings` (Firebreak settings such as
   * `STATUS_CACHE_MS`) take precedence over the environment's for this host.
   */
  async startApi(settings: Record<string, string> = {}): Promise<void> {
    this.httpClient?.close();
    await this.apiHost?.stop();
    const host = await Host.start('API host', join(__dirname, '../hosts/api-host.js'), {
      execArgv: ['--expose-gc', ...this.options.childExecArgv],
      env: {
        BENCH_TEMPORAL_ADDRESS: this.temporal.address,
        BENCH_TASK_QUEUE: TASK_QUEUE,
        BENCH_API_KEYS: API_KEYS,
        BENCH_API_SETTINGS: JSON.stringify(settings),
      },
    });
    this.apiHost = host;
    this.httpClient = new Http('127.0.0.1', host.port!, BENCH_KEY);
    // One request end to end, so the first measured one pays no lazy connection set-up.
    const health = await this.http.get('/readyz');
    if (health.status !== 200) throw new Error(`the API is not ready: ${health.status} ${JSON.stringify(health.body)}`);
  }

  workerStats(): Promise<ProcessStats> {
    return this.worker.call<ProcessStats>('stats', 60_000);
  }

  apiStats(): Promise<ProcessStats> {
    return this.api.call<ProcessStats>('stats', 60_000);
  }

  /** The Temporal server's resident memory (Linux), in bytes; undefined elsewhere. */
  serverRssBytes(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.server?.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * CPU seconds each process has used so far (Linux `/proc/<pid>/stat`, all threads); the
   * differences across a round say where the work went.
   */
  cpuSeconds(): CpuSeconds {
    const ticks = (pid: number | undefined) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return Number.NaN;
      }
    };
    const driver = process.cpuUsage();
    return {
      temporal: ticks(this.server?.pid),
      worker: ticks(this.workerHost?.pid),
      api: ticks(this.apiHost?.pid),
      driver: (driver.user + driver.system) / 1e6,
    };
  }

  /** One raw update-with-start on the baseline workflow: the call a plain Temporal script makes. */
  baselineUpdateWithStart(workflowId: string, input: BaselineInput, payload: unknown): Promise<number> {
    return this.client.workflow.executeUpdateWithStart(baselineIngestUpdate, {
      args: [payload],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof baselineWorkflow>('baselineWorkflow', {
        workflowId,
        taskQueue: BASELINE_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  }

  /** Terminates workflows a scenario left open (incidents wait on escalation timers). */
  async terminate(workflowIds: readonly string[]): Promise<void> {
    const client = this.client;
    await pool(workflowIds.length, 32, async (index) => {
      try {
        await client.workflow.getHandle(workflowIds[index]).terminate('bench: scenario finished');
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    });
  }

  async stop(): Promise<void> {
    this.httpClient?.close();
    await this.apiHost?.stop().catch((error: unknown) => this.options.log(`stopping the API host: ${String(error)}`));
    await this.workerHost?.stop().catch((error: unknown) => this.options.log(`stopping the worker host: ${String(error)}`));
    await this.connection?.close().catch(() => undefined);
    if (this.server && this.server.exitCode === null) {
      this.server.kill('SIGTERM');
      const killer = setTimeout(() => this.server?.kill('SIGKILL'), 15_000);
      await this.serverExit;
      clearTimeout(killer);
    }
    rmSync(this.temporal.dataDir, { recursive: true, force: true });
  }
}

export const elapsedSince = (start: number) => now() - start;

/** What the system holds once `start` has made it; an error before. */
function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('not started');
  return value;
}
