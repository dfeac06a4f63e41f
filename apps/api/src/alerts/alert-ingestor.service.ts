import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ReceivedAlert } from '../../../../core/model/alert';
import type { Config } from '../../../../core/schemas/config';
import type { AlertQueueInput, IncidentTemplate, QueuedAlert } from '../../../../core/model/incident';
import { deliverAlerts, type DeliveryOutcome } from '../../../../temporal-client/alert-delivery';
import type { alertQueueWorkflow } from '../../../../workflows/alert-queue';
import { TemporalService } from '../temporal/temporal.service';
import { AlertLease } from './alert-lease';
import { MAX_BATCH, takeBatch } from './batches';
import { CONFIG } from '../tokens';
import { jsonBytes } from '../../../../core/model/text';
import { goesFirst } from '../../../../core/model/incident-model';

export type IngestOutcome =
  /** Recorded on its incident. */
  | { status: 'recorded'; incidentId: string }
  /** A resolved alert with no open incident for its key: nothing to resolve. */
  | { status: 'ignored' }
  /** Durably queued during a storm; it reaches its incident as soon as a delivery slot frees. */
  | { status: 'queued' };

/** Keys whose latest generation is remembered; a miss costs a few extra calls, never correctness. */
const GENERATION_HINTS = 10_000;

/**
 * Delivery slots only SEV0–SEV1 keys may take beyond `ALERT_DELIVERY_CONCURRENCY`: an urgent
 * key does not wait for a storm's delivery in flight to finish either.
 */
const URGENT_EXTRA_SLOTS = 1;

/** Whether a key's alerts open or feed an incident that pages ahead of a storm (SEV0–SEV1). */
function isUrgent(entry: Entry): boolean {
  return goesFirst(entry.queued.template.severity);
}

/**
 * How long a queue this process holds waits, at the most, before delivering its alerts
 * itself even though its lease still beats: a last resort should the lease miss it (it
 * lapsed while this process could not reach Temporal, and the process then died). Long, so
 * that a live process delivering a slow storm is not raced.
 */
const LEASED_QUEUE_LAST_RESORT_MS = 15 * 60_000;

/** Alerts written to one alert queue, and how many of them still wait for delivery. */
interface QueueWrite {
  workflowId: string;
  /** Its number under this process's lease. */
  seq: number;
  undelivered: number;
  /** Handed to its own recovery: this process failed to deliver some of its alerts. */
  recovering: boolean;
}

/** One acknowledged-or-about-to-be alert, from its arrival until its incident records it. */
interface Entry {
  queued: QueuedAlert;
  /** Its size in JSON, roughly what it adds to a Temporal call. */
  bytes: number;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
  answered: boolean;
  delivered: boolean;
  /** Its queue write failed and its sender heard 503: it is not delivered. */
  withdrawn: boolean;
  /** This process's delivery failed: only its alert queue can deliver it now. */
  undeliverable: boolean;
  /** The alert queue that holds it durably, once written. */
  write?: QueueWrite;
}

/**
 * Takes alerts to their incident workflows, answering each sender only once its alert is
 * durable in Temporal.
 *
 * - Per dedup key, alerts that arrive while a call is in flight go together in the key's
 *   next call (a group commit): one Temporal call per key per round trip.
 * - At most `ALERT_DELIVERY_CONCURRENCY` keys have a call in flight (one more for a SEV0–SEV1
 *   key), and SEV0–SEV1 keys waiting for a slot go first. In a storm, an alert
 *   that would wait for a free slot is written instead, with every other such alert of the
 *   moment, to one alert queue workflow (one Temporal call for many keys), and answered
 *   `queued`. The API still delivers it, in key order and coalesced with the key's other
 *   waiting alerts; once a queue's alerts are all delivered, the queue is told and ends.
 *   The process holds its queues under a lease it renews while it holds any (see
 *   {@link AlertLease}): if it dies first, its queues deliver the alerts themselves once
 *   the lease has heard nothing for `ALERT_QUEUE_RECOVERY_MS`.
 * - A process holding `ALERT_MAX_PENDING` alerts for delivery holds no more: it hands new
 *   ones off in queues that deliver them at once, through the worker. Memory stays bounded
 *   in a storm that outlasts what Temporal can take; order within a key is then no longer
 *   kept between the alerts it holds and those it handed off.
 */
@Injectable()
export class AlertIngestor implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertIngestor.name);
  /** Keys with alerts in flight or waiting, and their waiting alerts in arrival order. */
  private readonly queues = new Map<string, Entry[]>();
  /** Keys holding a delivery slot (their drain loop runs). */
  private readonly slotted = new Set<string>();
  /** Keys waiting for a slot, first come first served: SEV0–SEV1 keys, then the others. */
  private readonly ready = { urgent: [] as string[], other: [] as string[] };
  private readonly generations = new Map<string, number>();
  /** Alerts this process holds: in `queues`, or in a delivery call not yet answered. */
  private pending = 0;
  /** Alerts to write to the next alert queue this process delivers, and to the next it hands off. */
  private toQueue: Entry[] = [];
  private toHandOff: Entry[] = [];
  private writing = false;
  /** Called once nothing is in flight or waiting (see {@link beforeApplicationShutdown}). */
  private onIdle: Array<() => void> = [];
  private readonly lease: AlertLease;

  constructor(
    private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.lease = new AlertLease(temporal, config.alertQueueRecoveryMs, this.logger);
  }

  ingest(alert: ReceivedAlert, template: IncidentTemplate): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      const queued: QueuedAlert = { alert, template };
      const bytes = jsonBytes(queued);
      const entry: Entry = { queued, bytes, resolve, reject, answered: false, delivered: false, withdrawn: false, undeliverable: false };
      const key = alert.alert.dedupKey;
      if (this.pending >= this.config.alertMaxPending) {
        // Holding too many already (a storm beyond what Temporal takes): its queue delivers it.
        this.queueDurably(entry, this.toHandOff);
        return;
      }
      this.pending += 1;
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(entry);
        // Waiting for a slot, or more than the key's next call carries: queue it durably now.
        if (!this.slotted.has(key) || queue.length > MAX_BATCH) this.queueDurably(entry, this.toQueue);
        return;
      }
      this.queues.set(key, [entry]);
      const urgent = isUrgent(entry);
      if (this.slotted.size < this.slots(urgent)) {
        this.slotted.add(key);
        void this.drain(key);
      } else {
        (urgent ? this.ready.urgent : this.ready.other).push(key);
        this.queueDurably(entry, this.toQueue);
      }
    });
  }

  /** Delivers the key's waiting alerts, call after call, until none wait; then passes its slot on. */
  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const taken = takeBatch(queue);
      const batch = taken.filter((entry) => !entry.withdrawn);
      if (batch.length > 0) await this.deliver(key, batch);
      // Held until delivered (or until its delivery failed and its queue took over).
      this.pending -= taken.length;
    }
    this.queues.delete(key);
    this.slotted.delete(key);
    this.startWaiting(this.ready.urgent, true);
    this.startWaiting(this.ready.other, false);
    this.checkIdle();
  }

  /** The delivery slots a key may take: SEV0–SEV1 keys have {@link URGENT_EXTRA_SLOTS} more. */
  private slots(urgent: boolean): number {
    return this.config.alertDeliveryConcurrency + (urgent ? URGENT_EXTRA_SLOTS : 0);
  }

  /** Gives free slots to the keys waiting in `waiting`, in order. */
  private startWaiting(waiting: string[], urgent: boolean): void {
    while (waiting.length > 0 && this.slotted.size < this.slots(urgent)) {
      const next = waiting.shift()!;
      if (!this.queues.has(next) || this.slotted.has(next)) continue;
      this.slotted.add(next);
      void this.drain(next);
    }
  }

  /**
   * A stopping API (a deploy, a restart) first delivers what it holds, so its queued alerts
   * reach their incidents now rather than after their queues' recovery delay. Bounded by
   * `ALERT_ACK_TIMEOUT_MS`; whatever is left, it hands to the queues, which deliver it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.isIdle()) {
      this.lease.stopBeating();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.onIdle.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.config.alertAckTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!this.isIdle()) {
      this.logger.warn(`stopping with alerts of ${this.queues.size} dedup key(s) undelivered; their alert queues will deliver them`);
      await this.lease.handOff();
    }
    this.lease.stopBeating();
  }

  private isIdle(): boolean {
    return this.queues.size === 0 && !this.writing && this.toQueue.length === 0 && this.toHandOff.length === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.onIdle.splice(0)) resolve();
  }

  private async deliver(key: string, batch: Entry[]): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      const deadline = Date.now() + this.config.alertAckTimeoutMs;
      outcome = await deliverAlerts(
        key,
        batch.map((entry) => entry.queued),
        {
          client: this.temporal.client,
          taskQueue: this.temporal.taskQueue,
          updateId: randomUUID(),
          firstGeneration: this.generations.get(key),
          call: (operation, fn) => this.temporal.call(operation, fn, Math.max(1, deadline - Date.now())),
        },
      );
    } catch (error) {
      for (const entry of batch) {
        entry.undeliverable = true;
        if (!entry.answered) this.fail(entry, error);
        // Already in an alert queue: the queue delivers it, now.
        if (entry.write) this.recover(entry.write);
      }
      const queued = batch.filter((entry) => entry.write).length;
      if (queued > 0) this.logger.warn(`${queued} queued alert(s) handed to their alert queue's recovery: ${String(error)}`);
      return;
    }
    if (outcome.status === 'recorded') this.rememberGeneration(key, outcome.generation);
    for (const entry of batch) {
      entry.delivered = true;
      if (!entry.answered) {
        this.settle(entry, outcome.status === 'recorded' ? { status: 'recorded', incidentId: outcome.incidentId } : { status: 'ignored' });
      }
      if (entry.write) this.deliveredFrom(entry.write);
    }
  }

  private queueDurably(entry: Entry, list: Entry[]): void {
    list.push(entry);
    if (!this.writing) void this.writeQueues();
  }

  /**
   * Writes the alerts waiting to be queued, many keys in one call, until none wait: those
   * this process delivers (the queue, covered by its lease, waits to hear so), and those it
   * hands off (the queue delivers them at once).
   */
  private async writeQueues(): Promise<void> {
    this.writing = true;
    while (this.toQueue.length > 0 || this.toHandOff.length > 0) {
      const handOff = this.toQueue.length === 0;
      // An alert recorded meanwhile needs no queue: it has its answer.
      const batch = takeBatch(handOff ? this.toHandOff : this.toQueue).filter((entry) => !entry.answered);
      if (batch.length === 0) continue;
      let write: QueueWrite | undefined;
      try {
        write = handOff
          ? { workflowId: `alert-queue-${randomUUID()}`, seq: 0, undelivered: 0, recovering: false }
          : { ...(await this.lease.nextQueue()), undelivered: 0, recovering: false };
        const { workflowId } = write;
        const args: AlertQueueInput = handOff
          ? { alerts: batch.map((entry) => entry.queued), recoverAfterMs: 0 }
          : {
              alerts: batch.map((entry) => entry.queued),
              recoverAfterMs: Math.max(LEASED_QUEUE_LAST_RESORT_MS, 10 * this.config.alertQueueRecoveryMs),
              lease: this.lease.id,
            };
        await this.temporal.call(
          'queueing alerts',
          (client) => client.workflow.start<typeof alertQueueWorkflow>('alertQueueWorkflow', { workflowId, taskQueue: this.temporal.taskQueue, args: [args] }),
          this.config.alertAckTimeoutMs,
        );
      } catch (error) {
        // A start that timed out may still have happened: such a queue ends without delivering.
        if (write && !handOff) this.lease.delivered(write.seq);
        for (const entry of batch) {
          if (entry.answered) continue;
          // Not acknowledged, so not delivered either: the sender retries.
          entry.withdrawn = true;
          this.fail(entry, error);
        }
        continue;
      }
      if (handOff) {
        for (const entry of batch) this.settle(entry, { status: 'queued' });
        continue;
      }
      for (const entry of batch) {
        if (entry.delivered) continue;
        entry.write = write;
        write.undelivered += 1;
        if (!entry.answered) this.settle(entry, { status: 'queued' });
        // Its delivery failed while the queue was being written: the queue delivers it.
        if (entry.undeliverable) this.recover(write);
      }
      if (write.undelivered === 0) this.release(write);
    }
    this.writing = false;
    this.checkIdle();
  }

  private deliveredFrom(write: QueueWrite): void {
    write.undelivered -= 1;
    if (write.undelivered === 0) this.release(write);
  }

  /** Hands a queue to its own recovery, once: it delivers every alert it holds (again, harmlessly, those delivered already). */
  private recover(write: QueueWrite): void {
    if (write.recovering) return;
    write.recovering = true;
    this.lease.recover(write.seq);
  }

  /** Tells a queue its alerts are delivered: it ends, and the lease stops covering it. */
  private release(write: QueueWrite): void {
    this.lease.delivered(write.seq);
  }

  private settle(entry: Entry, outcome: IngestOutcome): void {
    entry.answered = true;
    entry.resolve(outcome);
  }

  private fail(entry: Entry, error: unknown): void {
    entry.answered = true;
    entry.reject(error);
  }

  private rememberGeneration(key: string, generation: number): void {
    this.generations.delete(key);
    this.generations.set(key, generation);
    if (this.generations.size > GENERATION_HINTS) {
      this.generations.delete(this.generations.keys().next().value as string);
    }
  }
}
