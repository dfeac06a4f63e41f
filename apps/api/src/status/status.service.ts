import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueryRejectedError, WorkflowClient, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { publicStatusPageSnapshot, type StatusPageSnapshot } from '../../../../core/schemas/capabilities/status-page';
import type { Config } from '../../../../core/schemas/config';
import { STATUS_PAGE_WORKFLOW_TYPE, statusPageQuery, statusPageWorkflowId } from '../../../../core/model/status-page-messages';
import { SharedRead } from '../cache/shared-read';
import { MetricsService } from '../metrics/metrics.service';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG } from '../tokens';
import { renderStatusPage, renderStatusUnknown } from './status-page.html';

/** One representation of the page, ready to send. */
export interface StatusBody {
  body: string;
  etag: string;
}

/** What one read of the page gives every request until the next read. */
export type StatusRead =
  | { known: true; snapshot: StatusPageSnapshot; json: StatusBody; html: StatusBody }
  | { known: false; reason: string; retryAfterSeconds: number; json: StatusBody; html: StatusBody };

/** How long the boot start waits between attempts while Temporal cannot be reached. */
const START_RETRY_MS = 5_000;

const etagOf = (kind: string, body: string) => `"${kind}-${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

const body = (kind: string, text: string): StatusBody => ({ body: text, etag: etagOf(kind, text) });

/**
 * Reads Firebreak's own status page: the `statusPageWorkflow` of this deployment's task
 * queue. The API starts it at boot (so a missing page always means a broken one), reads it
 * at most once per `STATUS_CACHE_MS` for all requests, and fails closed: a page whose
 * workflow is missing, closed (failed, terminated, timed out) or cannot be read is "status
 * unknown", never "all systems operational".
 */
@Injectable()
export class StatusService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('status');
  private readonly workflowId: string;
  /** Queries rejected by a closed workflow rather than answered from its last state. */
  private readonly openOnly: WorkflowClient;
  private readonly shared: SharedRead<StatusRead>;
  private started = false;
  private starting?: Promise<void>;
  private stopping = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly temporal: TemporalService,
    private readonly metrics: MetricsService,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.workflowId = statusPageWorkflowId(temporal.taskQueue);
    this.openOnly = new WorkflowClient({ connection: temporal.connection, namespace: temporal.namespace, queryRejectCondition: 'NOT_OPEN' });
    this.shared = new SharedRead(() => this.read(), config.statusCacheMs);
  }

  /** Seconds a response may be reused by browsers and proxies: the cache's own lifetime. */
  get maxAgeSeconds(): number {
    return Math.floor(this.config.statusCacheMs / 1000);
  }

  /** The page as every request sees it now. */
  current(): Promise<StatusRead> {
    return this.shared.get();
  }

  onApplicationBootstrap(): void {
    void this.ensureStarted();
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    clearTimeout(this.retry);
  }

  /**
   * Starts the page if no run was ever started under its id. A page that ran and closed is
   * left closed (`REJECT_DUPLICATE`): starting it afresh would show an empty, green page and
   * hand out status incident ids already held by incidents. Restoring it is an operator's act.
   */
  private ensureStarted(): Promise<void> {
    if (this.started || this.stopping) return Promise.resolve();
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    try {
      await this.temporal.call('starting the status page', (client) =>
        client.workflow.start(STATUS_PAGE_WORKFLOW_TYPE, {
          workflowId: this.workflowId,
          taskQueue: this.temporal.taskQueue,
          args: [{}],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      this.started = true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        this.started = true;
        this.logger.error(`the status page workflow ${this.workflowId} is closed: /status answers 503 until an operator restores it`);
        return;
      }
      this.logger.warn(`could not start the status page yet (${(error as Error).message}); retrying`);
      if (!this.stopping) this.retry = setTimeout(() => void this.ensureStarted(), START_RETRY_MS).unref();
    }
  }

  private async read(): Promise<StatusRead> {
    // Until the boot start has gone through, a missing page only means "not started yet".
    await this.ensureStarted();
    try {
      const snapshot = publicStatusPageSnapshot(
        await this.temporal.call('reading the status page', () => this.openOnly.getHandle(this.workflowId).query(statusPageQuery)),
      );
      this.metrics.statusPageReads.inc({ outcome: 'ok' });
      return {
        known: true,
        snapshot,
        json: body('j', JSON.stringify(snapshot)),
        html: body('h', renderStatusPage(snapshot)),
      };
    } catch (error) {
      this.metrics.statusPageReads.inc({ outcome: 'unknown' });
      return this.unknown(error);
    }
  }

  private unknown(error: unknown): StatusRead {
    let reason: string;
    if (error instanceof QueryRejectedError) {
      reason = 'the status page is not running';
      this.logger.error(`the status page workflow ${this.workflowId} is closed (status ${error.status}): answering 503`);
    } else if (error instanceof WorkflowNotFoundError) {
      reason = 'the status page is not running';
      this.logger.error(`the status page workflow ${this.workflowId} does not exist: answering 503`);
      void this.ensureStarted();
    } else {
      reason = 'the status page cannot be read right now';
      this.logger.warn(`reading the status page failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const retryAfterSeconds = Math.max(5, this.maxAgeSeconds);
    const message = `status unknown: ${reason}`;
    return {
      known: false,
      reason,
      retryAfterSeconds,
      json: body('j', JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message })),
      html: body('h', renderStatusUnknown(reason)),
    };
  }
}
