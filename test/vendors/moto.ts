/**
 * moto's server (PyPI `moto[server]`, installed into tools/venv by
 * scripts/install-test-tools.sh) standing in for AWS ECS and CloudWatch (one server answers
 * both): started on a free loopback port for a test file, stopped after it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { MiddlewareStack } from '@smithy/types';
import { createEcsClient } from '../../activities/ecs-service';
import { createCloudWatchClient } from '../../activities/monitoring/cloudwatch';
import { waitFor } from '../wait';

const ROOT = join(__dirname, '..', '..');
const MOTO_SERVER = join(ROOT, 'tools', 'venv', 'bin', 'moto_server');

/** Credentials moto accepts (it checks none); the SDK signs with them. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
export const MOTO_REGION = 'eu-west-1';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Moto {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts moto. New ECS services report this many running tasks (moto runs none itself), so
 * a service created with at most that desired count is stable at once.
 */
export async function startMoto({ runningTasks = 2 } = {}): Promise<Moto> {
  if (!existsSync(MOTO_SERVER)) {
    // Installing here would outlast a test hook's timeout: `npm test` installs it first.
    throw new Error(`moto is not installed at ${MOTO_SERVER}: run scripts/install-test-tools.sh (npm test does)`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: String(runningTasks) },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never outlive the test process, even when a hook times out before stop() is reachable.
  const killOnExit = () => child.kill('SIGKILL');
  child.unref();
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  await waitFor('moto server to answer', async () => (await fetch(`${url}/moto-api/`).catch(() => undefined))?.ok, {
    timeoutMs: 30_000,
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A describe block's moto, and clients of it for setting up and inspecting what the tests need. */
export interface MotoServer {
  moto: Moto;
  ecs: ECSClient;
  cloudwatch: CloudWatchClient;
}

/**
 * One moto for a whole describe block: started before its tests, stopped after them. Its
 * fields are set once it has started, so read them in tests and hooks. Meanwhile moto's
 * credentials are in the environment, so clients on the SDK's default chain (the worker's, as
 * in production) sign with them; the environment is restored afterwards.
 */
export function useMotoServer(options: { runningTasks?: number } = {}): MotoServer {
  const started = {} as MotoServer;
  const saved = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    started.moto = await startMoto(options);
    const settings = { region: MOTO_REGION, endpoint: started.moto.url };
    started.ecs = createEcsClient(settings, 5000, MOTO_CREDENTIALS);
    started.cloudwatch = createCloudWatchClient(settings, 5000, MOTO_CREDENTIALS);
  });
  afterAll(async () => {
    started.ecs?.destroy();
    started.cloudwatch?.destroy();
    await started.moto?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return started;
}

/** Records the name of every command `client` sends (`DescribeServicesCommand`, ...), in order. */
export function recordCommands<Input extends object, Output extends object>(client: { middlewareStack: MiddlewareStack<Input, Output> }): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize' },
  );
  return sent;
}
