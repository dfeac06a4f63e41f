/**
 * A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`, installed by
 * scripts/install-test-tools.sh) run as a child process on a free loopback port, with
 * clustering off and its state in a temporary directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { waitFor } from '../wait';

/** Overrides where the binary is looked for. */
export const ALERTMANAGER_BIN_ENV = 'FIREBREAK_ALERTMANAGER_BIN';

/** Upstream names it `alertmanager`; Debian's package installs `/usr/bin/prometheus-alertmanager`. */
const BINARY_NAMES = ['alertmanager', 'prometheus-alertmanager'];

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The Alertmanager binary: $FIREBREAK_ALERTMANAGER_BIN, else either name on PATH or in /usr/bin. */
export function findAlertmanagerBinary(): string | undefined {
  const override = process.env[ALERTMANAGER_BIN_ENV];
  if (override) return override;
  const directories = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const name of BINARY_NAMES) {
    for (const directory of directories) {
      const candidate = join(directory, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A webhook receiver's `http_config` credentials (https://prometheus.io/docs/alerting/latest/configuration/#http_config):
 * `authorization.credentials` (sent as Bearer), what Firebreak takes; or `basic_auth`, which it refuses.
 */
export type WebhookAuth = { bearer: string } | { basic: { username: string; password: string } };

export interface AlertmanagerOptions {
  /** Where the webhook receiver POSTs. */
  webhookUrl: string;
  auth: WebhookAuth;
}

/** What the v2 API takes (`POST /api/v2/alerts`): an alert as Prometheus sends it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the past: the alert has resolved. */
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  url: string;
  version: string;
  /** Sends alerts as Prometheus would; throws unless Alertmanager accepts them. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** A counter from its /metrics, summed over the series whose labels include `labels`; throws if there is none. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Its output so far (the end of it), for failure messages. */
  output(): string;
  /** SIGKILLs it if still running, waits for it to go, and removes its files. */
  stop(): Promise<void>;
}

/** The config: one route grouping by alertname and service, to one webhook receiver. */
export function alertmanagerConfig({ webhookUrl, auth }: AlertmanagerOptions): string {
  const httpConfig =
    'bearer' in auth
      ? { authorization: { credentials: auth.bearer } }
      : { basic_auth: { username: auth.basic.username, password: auth.basic.password } };
  return stringify({
    route: {
      receiver: 'firebreak',
      group_by: ['alertname', 'service'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [{ name: 'firebreak', webhook_configs: [{ url: webhookUrl, send_resolved: true, http_config: httpConfig }] }],
  });
}

const OUTPUT_LIMIT = 8_000;

/** Starts Alertmanager and waits until `/-/ready` answers 200. Kills it if it never does. */
export async function startAlertmanager(binary: string, options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const directory = mkdtempSync(join(tmpdir(), 'firebreak-alertmanager-'));
  const configFile = join(directory, 'alertmanager.yml');
  writeFileSync(configFile, alertmanagerConfig(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  let output = '';
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Empty: no gossip cluster, so no second port and no peers to wait for.
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => keep(Buffer.from(`\nspawn failed: ${error.message}\n`)));
  // A jest worker that exits without afterAll must not leave Alertmanager behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill('SIGKILL');
    if (child.pid !== undefined) await exited;
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    await waitFor('Alertmanager to be ready (GET /-/ready)', async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        throw new Error(`Alertmanager exited (${child.exitCode ?? child.signalCode ?? 'not started'})`);
      }
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok;
    });
    const status = (await (await fetch(`${url}/api/v2/status`)).json()) as { versionInfo?: { version?: string } };
    const version = status.versionInfo?.version ?? 'unknown';

    return {
      url,
      version,
      output: () => output,
      stop,
      async postAlerts(alerts) {
        const response = await fetch(`${url}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alerts),
        });
        if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
      },
      async metric(name, labels = {}) {
        const text = await (await fetch(`${url}/metrics`)).text();
        let sum = 0;
        let matched = false;
        for (const line of text.split('\n')) {
          const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
          if (!match || match[1] !== name) continue;
          const series = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
          if (!Object.entries(labels).every(([key, value]) => series[key] === value)) continue;
          matched = true;
          sum += Number(match[3]);
        }
        if (!matched) throw new Error(`Alertmanager's /metrics has no ${name} series with ${JSON.stringify(labels)}`);
        return sum;
      },
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- Alertmanager output ---\n${output}`);
  }
}
