/**
 * mTLS to a real Temporal server, as docker-compose.yml runs it: certificates from
 * scripts/compose-certs.sh, the server (the release `npm run cluster` builds, on in-memory
 * SQLite) requiring client certificates on its frontend, and Firebreak's worker and client
 * connecting with the options temporalConnectionOptions builds from `TEMPORAL_TLS_*`.
 * The CLI's dev server has no TLS options, hence the real server. Needs that server built
 * (`node scripts/temporal-server.mjs path`, which `npm test` runs) and openssl; without
 * either the test skips, saying so. FIREBREAK_SKIP_CLUSTER=1 skips it too.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { parse, stringify } from 'yaml';
import { createFirebreakWorker } from '../apps/worker/src/worker';
import { type Config, loadConfig } from '../core/schemas/config';
import { testOperatorConfig } from '../test/operator';
import { freePort } from '../test/real-senders/alertmanager';
import { uniqueTaskQueue, workflowBundle } from '../test/temporal';
import { waitFor } from '../test/wait';
import { temporalConnectionOptions } from './connection-options';

const ROOT = join(__dirname, '..');

function serverHome(): { home?: string; missing?: string } {
  if (process.env.FIREBREAK_SKIP_CLUSTER === '1') return { missing: 'FIREBREAK_SKIP_CLUSTER=1' };
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
  } catch {
    return { missing: 'no openssl on PATH (scripts/compose-certs.sh needs it)' };
  }
  try {
    return { home: execFileSync(process.execPath, [join(ROOT, 'scripts', 'temporal-server.mjs'), 'path', '--no-build'], { stdio: 'pipe' }).toString().trim() };
  } catch (error) {
    return { missing: (error as { stderr?: Buffer }).stderr?.toString().trim() || 'the Temporal server is not built' };
  }
}

/** The release's development config with SQLite in memory, the given ports, and TLS on the frontend and between the server's own services. */
function serverConfig(home: string, dir: string, ports: number[], certs: string): string {
  const config = parse(readFileSync(join(home, 'config', 'development-postgres12.yaml'), 'utf8'));
  const [frontend, frontendMembership, history, historyMembership, matching, matchingMembership, worker, workerMembership] = ports;
  const sqlite = { pluginName: 'sqlite', databaseName: 'default', connectAddr: 'localhost', connectProtocol: 'tcp', connectAttributes: { mode: 'memory', cache: 'private' }, maxConns: 1, maxIdleConns: 1, maxConnLifetime: '1h' };
  config.log = { stdout: true, level: 'warn' };
  config.persistence = { defaultStore: 'main', visibilityStore: 'visibility', numHistoryShards: 1, datastores: { main: { sql: sqlite }, visibility: { sql: sqlite } } };
  config.global.pprof = { port: 0 };
  delete config.global.metrics;
  const side = (role: 'server' | 'client') =>
    role === 'server'
      ? { requireClientAuth: true, certFile: join(certs, 'temporal', 'tls.crt'), keyFile: join(certs, 'temporal', 'tls.key'), clientCaFiles: [join(certs, 'temporal', 'ca.crt')] }
      : { serverName: 'temporal', rootCaFiles: [join(certs, 'temporal', 'ca.crt')] };
  // What the temporalio/server image makes of docker-compose.yml's TEMPORAL_TLS_* variables.
  config.global.tls = { internode: { server: side('server'), client: side('client') }, frontend: { server: side('server'), client: side('client') } };
  const service = (grpcPort: number, membershipPort: number) => ({ rpc: { grpcPort, membershipPort, bindOnLocalHost: true } });
  config.services = {
    frontend: service(frontend, frontendMembership),
    history: service(history, historyMembership),
    matching: service(matching, matchingMembership),
    worker: service(worker, workerMembership),
  };
  config.clusterMetadata.clusterInformation[config.clusterMetadata.currentClusterName].rpcAddress = `127.0.0.1:${frontend}`;
  config.archival = { history: { state: 'disabled' }, visibility: { state: 'disabled' } };
  delete config.namespaceDefaults;
  const dynamic = join(dir, 'dynamic-config.yaml');
  writeFileSync(dynamic, '# defaults\n');
  config.dynamicConfigClient = { filepath: dynamic, pollInterval: '10s' };
  const file = join(dir, 'temporal-server.yaml');
  writeFileSync(file, stringify(config));
  return file;
}

const { home, missing } = serverHome();
/**
 * The server's TLS alert. With TLS 1.3 the client's side of the handshake ends before the
 * server checks its certificate, so the client may instead see the connection closed, or
 * its next write hit the closed socket (a broken pipe), before the alert arrives.
 */
const REFUSED = (alert: string) => new RegExp(`received fatal alert: ${alert}|connection closed|broken pipe`);

if (!home) {
  describe('mTLS to the Temporal frontend', () => {
    // jest has no skip reason: the reason is the skipped test's name, and a warning.
    console.warn(`Skipping the Temporal mTLS test: ${missing}`);
    it.skip(`SKIPPED: ${missing}`, () => undefined);
  });
} else {
  describe('mTLS to the Temporal frontend, with scripts/compose-certs.sh certificates', () => {
    let dir: string;
    let server: ChildProcess;
    let output = '';
    let address: string;
    let certs: string;
    const env = (service: 'api' | 'worker', extra: Record<string, string> = {}): Config =>
      loadConfig({
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TASK_QUEUE: uniqueTaskQueue('mtls'),
        ACK_SIGNING_SECRET: 'mtls-test-ack-signing-secret-0123456789',
        TEMPORAL_TLS_CERT: join(certs, service, 'tls.crt'),
        TEMPORAL_TLS_KEY: join(certs, service, 'tls.key'),
        TEMPORAL_TLS_CA: join(certs, service, 'ca.crt'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal',
        ...extra,
      });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'firebreak-mtls-'));
      certs = join(dir, 'certs');
      execFileSync('sh', [join(ROOT, 'scripts', 'compose-certs.sh'), certs], { stdio: 'pipe' });
      const ports: number[] = [];
      while (ports.length < 8) {
        const port = await freePort();
        if (!ports.includes(port)) ports.push(port);
      }
      address = `127.0.0.1:${ports[0]}`;
      server = spawn(join(home, 'bin', 'temporal-server'), ['--config-file', serverConfig(home, dir, ports, certs), '--allow-no-auth', 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
      server.stdout!.on('data', keep);
      server.stderr!.on('data', keep);
      const admin = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: join(certs, 'admin', 'tls.crt'), TEMPORAL_TLS_KEY: join(certs, 'admin', 'tls.key'), TEMPORAL_TLS_CA: join(certs, 'admin', 'ca.crt'), TEMPORAL_TLS_SERVER_NAME: 'temporal' });
      const connection = await waitFor(
        'the Temporal server to answer over mTLS',
        async () => {
          if (server.exitCode !== null) throw new Error(`the Temporal server exited (${server.exitCode}):\n${output}`);
          return Connection.connect({ ...temporalConnectionOptions(admin.temporal), connectTimeout: 1_000 });
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      try {
        await connection.workflowService.registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs('1 day') });
        await waitFor('the namespace to be usable', async () => Boolean(await connection.workflowService.describeNamespace({ namespace: 'default' })), { timeoutMs: 30_000, intervalMs: 250 });
      } finally {
        await connection.close();
      }
    }, 120_000);
    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('runs the worker and the API\'s client over mTLS: the worker polls, the client sees it', async () => {
      const workerConfig = env('worker');
      const connection = await NativeConnection.connect(temporalConnectionOptions(workerConfig.temporal));
      let worker: Worker | undefined;
      let running: Promise<void> | undefined;
      // The API connects lazily (apps/api/src/temporal/temporal.service.ts): the same here.
      const api = Connection.lazy(temporalConnectionOptions(env('api').temporal));
      try {
        worker = await createFirebreakWorker({ config: workerConfig, connection, workflowBundle: workflowBundle(), operator: testOperatorConfig() });
        running = worker.run();
        const pollers = await waitFor('the worker to poll its task queue', async () => {
          const { pollers: found } = await api.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: workerConfig.temporal.taskQueue },
            taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          });
          return (found ?? []).length > 0 && found;
        });
        expect(pollers.length).toBeGreaterThan(0);
      } finally {
        worker?.shutdown();
        await running;
        await connection.close();
        await api.close();
      }
    });

    it('refuses a client without a certificate', async () => {
      const noCert = loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CA: join(certs, 'api', 'ca.crt'), TEMPORAL_TLS_SERVER_NAME: 'temporal' });
      await expect(NativeConnection.connect(temporalConnectionOptions(noCert.temporal))).rejects.toThrow(REFUSED('CertificateRequired'));
    });

    it('refuses a client whose certificate another CA signed', async () => {
      const foreign = join(dir, 'foreign');
      execFileSync('sh', [join(ROOT, 'scripts', 'compose-certs.sh'), foreign], { stdio: 'pipe' });
      const stranger = loadConfig({
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TLS_CERT: join(foreign, 'api', 'tls.crt'),
        TEMPORAL_TLS_KEY: join(foreign, 'api', 'tls.key'),
        TEMPORAL_TLS_CA: join(certs, 'api', 'ca.crt'),
        TEMPORAL_TLS_SERVER_NAME: 'temporal',
      });
      await expect(NativeConnection.connect(temporalConnectionOptions(stranger.temporal))).rejects.toThrow(REFUSED('UnknownCA'));
    });

    it('refuses a server whose certificate does not carry the expected name', async () => {
      const wrongName = env('api', { TEMPORAL_TLS_SERVER_NAME: 'not-temporal' });
      await expect(NativeConnection.connect(temporalConnectionOptions(wrongName.temporal))).rejects.toThrow(/NotValidForName/);
    });
  });
}
