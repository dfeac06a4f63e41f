import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { alertLeaseBeatSignal, alertQueueId, alertQueueRecoverSignal, type AlertLeaseBeat } from '../../../../core/model/alert-lease';
import { alertQueueDeliveredSignal } from '../../../../core/model/messages';
import type { alertLeaseWorkflow } from '../../../../workflows/alert-lease';
import type { TemporalService } from '../temporal/temporal.service';

/** Queue numbers a beat reserves ahead, so that writing a queue rarely waits for a beat. */
const RESERVE = 64;

/**
 * This API process's lease on the alert queues it delivers itself (`alertLeaseWorkflow`).
 *
 * Each queue gets a number, declared to the lease before the queue is written (a beat
 * reserves {@link RESERVE} numbers ahead). While the process holds queues it beats every
 * quarter of `silenceMs`, one signal naming every queue it holds; once it has seen them all
 * delivered it says so and stops, and the lease lapses. If the process dies, the beats stop
 * and, `silenceMs` later, the lease tells its queues to deliver their alerts themselves.
 */
export class AlertLease {
  /** The lease workflow's id; a new run starts under it whenever the last one lapsed. */
  readonly id = `alert-api-${randomUUID()}`;
  /** The last queue number handed out. */
  private seq = 0;
  /** Numbers up to this one are covered by the lease's last beat. */
  private reservedThrough = 0;
  /** Queues handed out and not yet told of their delivery, by number. */
  private readonly held = new Set<number>();
  /** Queues whose alerts are delivered but which have not yet heard so (the signal failed). */
  private readonly untold = new Set<number>();
  /** Queues to deliver their alerts themselves that have not yet heard so (the signal failed). */
  private readonly toRecover = new Set<number>();
  private beats: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly temporal: TemporalService,
    private readonly silenceMs: number,
    private readonly logger: Logger,
  ) {}

  /** The id of the next queue to write, covered by the lease before it is returned. */
  async nextQueue(): Promise<{ seq: number; workflowId: string }> {
    if (this.seq + 1 > this.reservedThrough) await this.beat(this.seq + RESERVE);
    const seq = ++this.seq;
    this.held.add(seq);
    this.keepBeating();
    return { seq, workflowId: alertQueueId(this.id, seq) };
  }

  /**
   * Every alert of the queue is delivered, or none is owed (its write failed, and its
   * senders heard 503): tells it so, should it exist, so it ends; then stops covering it.
   */
  delivered(seq: number): void {
    this.untold.add(seq);
    void this.tell(seq);
  }

  /**
   * This process could not deliver some of the queue's alerts (Temporal failed the call):
   * the queue delivers its alerts itself now, rather than at its last resort while this
   * process lives on, and the lease stops covering it once it has heard so. Asked again with
   * every beat until it has.
   */
  recover(seq: number): void {
    this.toRecover.add(seq);
    void this.askRecovery(seq);
  }

  /**
   * Hands the queues still held to their own recovery now (a stopping process that could
   * not deliver them all), rather than after the lease's silence.
   */
  async handOff(): Promise<void> {
    this.stopBeating();
    await Promise.all(
      [...this.held].map((seq) =>
        this.temporal.client.workflow
          .getHandle(alertQueueId(this.id, seq))
          .signal(alertQueueRecoverSignal)
          .catch((error: unknown) => this.logger.debug(`alert queue ${seq} not handed off; its lease will: ${String(error)}`)),
      ),
    );
  }

  stopBeating(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tell(seq: number): Promise<void> {
    return this.signalQueue(seq, alertQueueDeliveredSignal, this.untold, 'told of its delivery');
  }

  private askRecovery(seq: number): Promise<void> {
    return this.signalQueue(seq, alertQueueRecoverSignal, this.toRecover, 'handed to its recovery');
  }

  /**
   * Signals queue `seq` and, once it has heard (or has already ended: it delivered its alerts,
   * or heard they were), takes it off `pending` and stops covering it. A failure leaves it on
   * `pending`, retried with the next beat.
   */
  private async signalQueue(seq: number, signal: SignalDefinition, pending: Set<number>, what: string): Promise<void> {
    try {
      await this.temporal.client.workflow.getHandle(alertQueueId(this.id, seq)).signal(signal);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) {
        this.logger.debug(`alert queue ${seq} not ${what} yet; retried with the next beat: ${String(error)}`);
        return;
      }
    }
    if (!pending.delete(seq)) return;
    this.untold.delete(seq);
    this.held.delete(seq);
    this.lapseIfIdle();
  }

  /** With nothing left to cover, a last beat says so and the lease lapses quietly. */
  private lapseIfIdle(): void {
    if (this.held.size > 0) return;
    this.stopBeating();
    void this.beat(this.seq).catch(() => undefined);
  }

  private keepBeating(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const seq of this.untold) void this.tell(seq);
      for (const seq of this.toRecover) void this.askRecovery(seq);
      this.beat(this.reservedThrough).catch((error: unknown) => this.logger.warn(`alert lease beat failed: ${String(error)}`));
    }, Math.max(1, Math.floor(this.silenceMs / 4)));
    this.timer.unref();
  }

  /**
   * Declares to the lease every queue held, and the numbers up to `through` for queues
   * written before the next beat. Beats go one at a time, each composed when it is sent.
   */
  private beat(through: number): Promise<void> {
    const send = async () => {
      // Shrinking the reservation takes effect at once: a number past it waits for a beat.
      this.reservedThrough = Math.min(this.reservedThrough, through);
      const beat: AlertLeaseBeat = { queues: [...this.held], unusedFrom: this.seq + 1, through: Math.max(through, this.seq) };
      await this.temporal.call(
        'renewing the alert lease',
        (client) =>
          client.workflow.signalWithStart<typeof alertLeaseWorkflow, [AlertLeaseBeat]>('alertLeaseWorkflow', {
            workflowId: this.id,
            taskQueue: this.temporal.taskQueue,
            args: [{ silenceMs: this.silenceMs }],
            signal: alertLeaseBeatSignal,
            signalArgs: [beat],
          }),
        this.silenceMs,
      );
      this.reservedThrough = beat.through;
    };
    const next = this.beats.catch(() => undefined).then(send);
    this.beats = next;
    return next;
  }
}
