/**
 * The bench's receiver for a peer's HTTP action: an HTTP server on 127.0.0.1 that records,
 * per alert id, when it first arrived (the driver's clock) and how many times it arrived.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { now } from '../lib/clock';
import { Marks } from '../lib/marks';

/** What the sender saw for each alert it sent: acknowledged (a 2xx) or not. */
export interface Sent {
  acknowledged: ReadonlySet<string>;
  /** Sent but never answered 2xx (refused, unanswered, or given up after retries). */
  unacknowledged: ReadonlySet<string>;
}

export interface Delivery {
  /** Acknowledged and never received. */
  lost: number;
  /** Received more than once (each repeat counted), acknowledged or not. */
  duplicated: number;
  /** Received although never acknowledged: allowed (no 2xx, no promise), reported apart. */
  received_unacknowledged: number;
  received: number;
}

/**
 * Compares what the receiver got (`arrivals`: id → times received) with what was sent;
 * arrivals of ids not in `sent` (another phase's) are not counted.
 */
export function accountDeliveries(sent: Sent, arrivals: ReadonlyMap<string, number>): Delivery {
  const delivery: Delivery = { lost: 0, duplicated: 0, received_unacknowledged: 0, received: 0 };
  const tally = (id: string, acknowledged: boolean) => {
    const count = arrivals.get(id) ?? 0;
    delivery.received += count;
    delivery.duplicated += Math.max(0, count - 1);
    if (acknowledged && count === 0) delivery.lost += 1;
    if (!acknowledged && count > 0) delivery.received_unacknowledged += 1;
  };
  for (const id of sent.acknowledged) tally(id, true);
  for (const id of sent.unacknowledged) if (!sent.acknowledged.has(id)) tally(id, false);
  return delivery;
}

export class Receiver {
  /** First arrival per id, waitable. */
  readonly firsts = new Marks();
  private readonly counts = new Map<string, number>();
  private lastAt = 0;

  private readonly server: Server = createServer((req, res) => this.handle(req, res));
  private address = '';

  private constructor() {}

  /** Listens on a free port; POSTs to `/action` with a JSON `{ id }` body are recorded. */
  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    const { server } = receiver;
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((listening, failed) => server.once('error', failed).listen(0, '127.0.0.1', () => listening()));
    receiver.address = `http://127.0.0.1:${(server.address() as AddressInfo).port}/action`;
    return receiver;
  }

  /** Where the peer's HTTP action POSTs. */
  get url(): string {
    return this.address;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = now();
      let id: unknown;
      try {
        id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      if (req.method !== 'POST' || req.url !== '/action' || typeof id !== 'string') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"POST /action with a JSON body { id }"}');
        return;
      }
      this.record(id, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  }

  private record(id: string, at: number): void {
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    this.firsts.add(id, at);
    this.lastAt = Math.max(this.lastAt, at);
  }

  /** Times each id was received so far. */
  arrivals(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** When the last arrival so far came (the driver's clock), 0 before any. */
  lastArrivalAt(): number {
    return this.lastAt;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((closed) => this.server.close(closed));
  }
}
