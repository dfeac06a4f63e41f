import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ApplicationFailure,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { ReceivedAlert } from '../../../../core/alert';
import type { Config } from '../../../../core/config';
import { IncidentFailure, type OpenIncidentInput } from '../../../../core/incident';
import { IncidentStatus } from '../../../../core/incident-model';
import { ingestAlertsUpdate } from '../../../../core/messages';
import {
  IncidentServiceAttribute,
  IncidentSeverityAttribute,
  IncidentStatusAttribute,
} from '../../../../core/search-attributes';
import type { incidentWorkflow } from '../../../../workflows/incident';
import { incidentIdFor } from '../incidents/incident-ids';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG } from '../tokens';

export interface IngestOutcome {
  /** The incident that recorded the alert; null when a resolved alert found no open incident. */
  incidentId: string | null;
  recorded: boolean;
}

/** Alerts sent in one Temporal call at the most; keeps an update well under payload limits. */
const MAX_BATCH = 100;
/** Resolved incidents of one key the API walks past before giving up (a guard, not a limit users meet). */
const MAX_GENERATION_HOPS = 50;
/** Keys whose latest generation is remembered; a miss costs a few extra calls, never correctness. */
const GENERATION_HINTS = 10_000;

/** How to open the incident if this alert is the first: everything but the id. */
export type IncidentTemplate = Omit<OpenIncidentInput, 'incidentId'>;

interface Waiter {
  alert: ReceivedAlert;
  template: IncidentTemplate;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Takes acknowledged alerts to their incident workflows. Per dedup key, alerts that arrive
 * while a call is in flight wait and go together in the next one (a group commit): an
 * alert storm becomes one Temporal call per key per round trip, and each caller hears back
 * only once Temporal has recorded its alert.
 */
@Injectable()
export class AlertIngestor {
  private readonly logger = new Logger(AlertIngestor.name);
  private readonly queues = new Map<string, Waiter[]>();
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly temporal: TemporalService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  ingest(alert: ReceivedAlert, template: IncidentTemplate): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      const key = alert.alert.dedupKey;
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ alert, template, resolve, reject });
        return;
      }
      this.queues.set(key, [{ alert, template, resolve, reject }]);
      void this.drain(key);
    });
  }

  /** Sends the key's waiting alerts, batch after batch, until none wait. */
  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const outcome = await this.deliver(key, batch);
        for (const waiter of batch) waiter.resolve(outcome);
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    this.queues.delete(key);
  }

  private async deliver(key: string, batch: Waiter[]): Promise<IngestOutcome> {
    const deadline = Date.now() + this.config.alertAckTimeoutMs;
    const batchId = randomUUID();
    const alerts = batch.map((waiter) => waiter.alert);
    const firing = batch.find((waiter) => waiter.alert.alert.status === 'firing')?.template;
    let generation = this.generations.get(key) ?? 1;
    for (let hop = 0; hop < MAX_GENERATION_HOPS; hop++, generation++) {
      const incidentId = incidentIdFor(key, generation);
      const outcome = firing
        ? await this.recordOrOpen(incidentId, alerts, firing, batchId, deadline)
        : await this.recordIfOpen(incidentId, alerts, batchId, deadline);
      if (outcome === 'next-generation') continue;
      this.rememberGeneration(key, generation);
      return outcome;
    }
    throw new Error(`dedup key has more than ${MAX_GENERATION_HOPS} resolved incidents in a row`);
  }

  /** Records the batch on the incident, opening it if it does not exist yet. */
  private async recordOrOpen(
    incidentId: string,
    alerts: ReceivedAlert[],
    template: IncidentTemplate,
    batchId: string,
    deadline: number,
  ): Promise<IngestOutcome | 'next-generation'> {
    const open: OpenIncidentInput = { ...template, incidentId };
    try {
      await this.temporal.call(
        'recording an alert',
        (client) =>
          client.workflow.executeUpdateWithStart(ingestAlertsUpdate, {
            args: [{ alerts }],
            updateId: batchId,
            startWorkflowOperation: new WithStartWorkflowOperation<typeof incidentWorkflow>('incidentWorkflow', {
              workflowId: incidentId,
              taskQueue: this.temporal.taskQueue,
              args: [open],
              workflowIdConflictPolicy: 'USE_EXISTING',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              memo: { title: open.title },
              typedSearchAttributes: [
                { key: IncidentStatusAttribute, value: IncidentStatus.Triggered },
                { key: IncidentSeverityAttribute, value: open.severity },
                ...(open.service ? [{ key: IncidentServiceAttribute, value: open.service }] : []),
              ],
            }),
          }),
        Math.max(1, deadline - Date.now()),
      );
      return { incidentId, recorded: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError || isNotOpen(error)) return 'next-generation';
      throw error;
    }
  }

  /** Records resolved alerts on the key's running incident; with none, there is nothing to resolve. */
  private async recordIfOpen(
    incidentId: string,
    alerts: ReceivedAlert[],
    batchId: string,
    deadline: number,
  ): Promise<IngestOutcome | 'next-generation'> {
    const remaining = () => Math.max(1, deadline - Date.now());
    const handle = this.temporal.client.workflow.getHandle(incidentId);
    let running: boolean;
    try {
      const description = await this.temporal.call('finding an incident', () => handle.describe(), remaining());
      running = description.status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { incidentId: null, recorded: false };
      throw error;
    }
    if (!running) return 'next-generation';
    try {
      await this.temporal.call(
        'recording an alert',
        () => handle.executeUpdate(ingestAlertsUpdate, { args: [{ alerts }], updateId: batchId }),
        remaining(),
      );
      return { incidentId, recorded: true };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        this.logger.debug(`incident ${incidentId} closed while a resolved alert was on its way`);
        return { incidentId: null, recorded: false };
      }
      throw error;
    }
  }

  private rememberGeneration(key: string, generation: number): void {
    this.generations.delete(key);
    this.generations.set(key, generation);
    if (this.generations.size > GENERATION_HINTS) {
      this.generations.delete(this.generations.keys().next().value as string);
    }
  }
}

function isNotOpen(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === IncidentFailure.NotOpen
  );
}
