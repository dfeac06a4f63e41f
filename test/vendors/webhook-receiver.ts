/**
 * A webhook receiver, as a downstream tool would run one: a real HTTP server on a free
 * loopback port that verifies every delivery with the standardwebhooks library's own
 * `Webhook.verify` (signature, timestamp tolerance, headers), records the deliveries it
 * accepted in the order they came with their webhook-ids, and on demand answers with a
 * fault instead: any status (5xx, 429 with Retry-After, 410), or no answer at all (hang),
 * or no answer to a delivery it took (`accept-then-hang`: the sender cannot know it arrived).
 *
 * Run as a child process with FIREBREAK_WEBHOOK_WORKER set (a JSON list of subscriptions),
 * it is instead the real Firebreak worker with those subscriptions, for tests that kill it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type * as TemporalWorker from '@temporalio/worker';
import type * as FirebreakWorker from '../../apps/worker/src/worker';
import type * as Settings from '../../core/schemas/config';
import type * as Operator from '../operator';
import type * as TestTemporal from '../temporal';

/** A fresh Standard Webhooks secret: `whsec_` and 32 random bytes, base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export interface ReceivedWebhook {
  webhookId: string;
  timestamp: string;
  /** The body as received (verified against its signature). */
  raw: string;
  body: { type: string; timestamp: string; data: Record<string, any> };
  headers: IncomingHttpHeaders;
  /** When it arrived (this process's clock). */
  receivedAt: number;
}

export type ReceiverFault = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'accept-then-hang';

export class WebhookReceiver {
  /** Deliveries answered 2xx, in the order they came (duplicates included). */
  readonly accepted: ReceivedWebhook[] = [];
  /** Every request, faulted and refused ones included. */
  readonly attempts: Array<{ webhookId?: string; verified: boolean; faulted: boolean }> = [];
  /** Requests whose signature did not verify (answered 401). */
  readonly rejected: string[] = [];
  private readonly faults: ReceiverFault[] = [];
  private always: ReceiverFault | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly verifier: Webhook;
  private server?: Server;
  url = '';

  constructor(
    readonly secret: string,
    private readonly path = '/hooks/firebreak',
  ) {
    this.verifier = new Webhook(secret);
  }

  /** The next requests meet these faults, in order; later ones are accepted. */
  fail(...faults: ReceiverFault[]): this {
    this.faults.push(...faults);
    return this;
  }

  /** Every request meets `fault` until {@link heal}. */
  failAlways(fault: ReceiverFault): this {
    this.always = fault;
    return this;
  }

  heal(): this {
    this.always = undefined;
    this.faults.length = 0;
    return this;
  }

  /** Accepted deliveries without repeats (a webhook-id seen again is the same event). */
  unique(): ReceivedWebhook[] {
    const seen = new Set<string>();
    return this.accepted.filter((received) => (seen.has(received.webhookId) ? false : (seen.add(received.webhookId), true)));
  }

  types(): string[] {
    return this.unique().map((received) => received.body.type);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const webhookId = request.headers['webhook-id'] as string | undefined;
        if (request.method !== 'POST' || request.url !== this.path) {
          response.writeHead(404).end();
          return;
        }
        const fault = this.faults.shift() ?? this.always;
        if (fault === 'hang') {
          this.attempts.push({ webhookId, verified: false, faulted: true });
          return;
        }
        if (fault && fault !== 'accept-then-hang') {
          this.attempts.push({ webhookId, verified: false, faulted: true });
          response.writeHead(fault.status, fault.headers ?? {}).end(fault.body ?? '');
          return;
        }
        let body: ReceivedWebhook['body'];
        try {
          body = this.verifier.verify(raw, request.headers as Record<string, string>) as ReceivedWebhook['body'];
        } catch (error) {
          this.attempts.push({ webhookId, verified: false, faulted: false });
          this.rejected.push(`${webhookId}: ${String(error)}`);
          response.writeHead(401).end('signature');
          return;
        }
        this.attempts.push({ webhookId, verified: true, faulted: fault === 'accept-then-hang' });
        if (request.headers['content-type'] !== 'application/json') {
          this.rejected.push(`${webhookId}: content-type ${request.headers['content-type']}`);
        }
        this.accepted.push({ webhookId: webhookId!, timestamp: request.headers['webhook-timestamp'] as string, raw, body, headers: request.headers, receivedAt: Date.now() });
        if (fault !== 'accept-then-hang') response.writeHead(204).end();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${this.path}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export async function startWebhookReceiver(secret = newWebhookSecret()): Promise<WebhookReceiver> {
  return new WebhookReceiver(secret).start();
}

/** The child-process mode: the real worker with the subscriptions in FIREBREAK_WEBHOOK_WORKER; prints `ready` once polling. */
async function runWorkerChild(subscriptions: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only in the child: the receiver's users never need them */
  const { DefaultLogger, NativeConnection, Runtime } = require('@temporalio/worker') as typeof TemporalWorker;
  const { createFirebreakWorker } = require('../../apps/worker/src/worker') as typeof FirebreakWorker;
  const { loadConfig } = require('../../core/schemas/config') as typeof Settings;
  const { testOperatorConfig } = require('../operator') as typeof Operator;
  const { workflowBundle } = require('../temporal') as typeof TestTemporal;
  /* eslint-enable @typescript-eslint/no-require-imports */
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = loadConfig(process.env);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createFirebreakWorker({ config, connection, workflowBundle: workflowBundle(), operator: testOperatorConfig({ webhooks: JSON.parse(subscriptions) }) });
  const running = worker.run();
  console.log('ready');
  await running;
}

if (process.env.FIREBREAK_WEBHOOK_WORKER) {
  runWorkerChild(process.env.FIREBREAK_WEBHOOK_WORKER).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
