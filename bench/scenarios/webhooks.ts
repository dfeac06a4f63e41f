/**
 * Scenario 7, outgoing webhooks: how long an event takes from being recorded (its
 * `timestamp`, set by the incident workflow when the change happens) to a receiver having
 * it, signature verified. One incident at a time is opened and acknowledged (three events:
 * `incident.opened`, `incident.status_changed`, `incident.acknowledged`), each time waiting
 * for its events. The subscription lives on a Firebreak worker of its own, in the driver's
 * process, on a private task queue, so the other scenarios run without webhooks as
 * `npm start` does; the receiver is a plain HTTP server in the same process.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { Webhook } from 'standardwebhooks';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import { workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';
import type { IncidentWorkflow } from '../../core/model/incident';
import { incidentActionUpdate } from '../../core/model/messages';
import { loadConfig } from '../../core/schemas/config';
import { Secret } from '../../core/schemas/integrations-config';
import { quantiles, type Summary, summarize } from '../lib/stats';
import type { System } from '../lib/system';

const EVENTS_PER_INCIDENT = 3;

export interface WebhooksResult {
  incidents: number;
  warmup: number;
  events: number;
  /** Event recorded (its `timestamp`) → the receiver had it, verified. */
  delivery_ms: Summary;
  /** The same, for `incident.opened` alone (the first event of a new incident's delivery). */
  opened_ms: Summary;
  /** Deliveries the receiver had twice (at least once: a retry after an answer was lost). */
  duplicates: number;
  quantiles_ms: number[];
}

/** A receiver that verifies each delivery and notes when each event arrived. */
async function startReceiver(secret: string) {
  const verifier = new Webhook(secret);
  const arrived = new Map<string, { type: string; timestamp: string; incident: string; at: number }>();
  let duplicates = 0;
  let refused = 0;
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      try {
        const body = verifier.verify(Buffer.concat(chunks).toString('utf8'), request.headers as Record<string, string>) as {
          type: string;
          timestamp: string;
          data: { incident: { id: string } };
        };
        const id = request.headers['webhook-id'] as string;
        if (arrived.has(id)) duplicates += 1;
        else arrived.set(id, { type: body.type, timestamp: body.timestamp, incident: body.data.incident.id, at });
        response.writeHead(204).end();
        for (const wake of waiters) wake();
      } catch {
        refused += 1;
        response.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`,
    arrived,
    get duplicates() {
      return duplicates;
    },
    get refused() {
      return refused;
    },
    /** Resolves once `count` events of `incident` have arrived (at most 60 s). */
    async waitFor(incident: string, count: number): Promise<void> {
      const have = () => [...arrived.values()].filter((event) => event.incident === incident).length >= count;
      const until = Date.now() + 60_000;
      while (!have()) {
        if (Date.now() > until) throw new Error(`the webhooks of ${incident} did not all arrive within 60 s`);
        await new Promise<void>((resolve) => {
          const wake = () => (waiters.delete(wake), resolve());
          waiters.add(wake);
          setTimeout(wake, 1000);
        });
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function webhooksScenario(system: System, { incidents, warmup }: { incidents: number; warmup: number }): Promise<WebhooksResult> {
  const run = Date.now().toString(36);
  try {
    // This worker runs in the driver's process: its lifecycle chatter would bury the bench's output.
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already.
  }
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = await startReceiver(secret);
  const taskQueue = `firebreak-bench-webhooks-${run}`;
  const config = loadConfig({ TEMPORAL_ADDRESS: system.temporal.address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' });
  const connection = await NativeConnection.connect({ address: system.temporal.address });
  const logger = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger, ...workflowBundlerOptions() });
  const worker = await createFirebreakWorker({
    config,
    connection,
    workflowBundle: { code },
    operator: { responders: new Map(), schedules: new Map(), webhooks: [{ id: 'bench', url: receiver.url, events: '*', secret: 'BENCH_WEBHOOK_SECRET', headers: {}, retryForMs: 60_000 }] },
    webhookSecrets: new Map([['bench', new Secret(secret)]]),
  });
  const ids: string[] = [];
  try {
    await worker.runUntil(async () => {
      for (let index = 0; index < warmup + incidents; index += 1) {
        const incidentId = `inc-bench-webhooks-${run}-${index}`;
        const handle = await system.client.workflow.start<IncidentWorkflow>('incidentWorkflow', {
          taskQueue,
          workflowId: incidentId,
          args: [{ incidentId, title: `Bench webhooks ${index}`, severity: 'SEV3', openedBy: 'bench' }],
        });
        await handle.executeUpdate(incidentActionUpdate, { args: [{ actor: 'bench', action: { action: 'acknowledge' } }] });
        await receiver.waitFor(incidentId, EVENTS_PER_INCIDENT);
        if (index >= warmup) ids.push(incidentId);
      }
    });
  } finally {
    await connection.close();
    await receiver.stop();
  }
  if (receiver.refused > 0) throw new Error(`${receiver.refused} webhook deliveries did not verify`);
  const measured = new Set(ids);
  const events = [...receiver.arrived.values()].filter((event) => measured.has(event.incident));
  const latency = events.map((event) => event.at - Date.parse(event.timestamp));
  const opened = events.filter((event) => event.type === 'incident.opened').map((event) => event.at - Date.parse(event.timestamp));
  return {
    incidents,
    warmup,
    events: events.length,
    delivery_ms: summarize(latency),
    opened_ms: summarize(opened),
    duplicates: receiver.duplicates,
    quantiles_ms: quantiles(latency),
  };
}
