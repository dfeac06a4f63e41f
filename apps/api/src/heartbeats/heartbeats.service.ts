import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../../../../core/schemas/config';
import { heartbeatPingSignal, heartbeatQuery, type HeartbeatStatus } from '../../../../core/model/messages';
import type { HeartbeatMonitor, OperatorConfig } from '../../../../core/schemas/operator-config';
import { policyFor } from '../../../../core/model/routing';
import { heartbeatWorkflowId, type heartbeatWorkflow } from '../../../../workflows/heartbeat';
import type { Principal } from '../auth/principal';
import { TemporalService } from '../temporal/temporal.service';
import { CONFIG, OPERATOR_CONFIG } from '../tokens';

/** A monitor's state as the API shows it: the workflow's, with the monitor's settings. */
export interface HeartbeatView extends HeartbeatStatus {
  intervalSeconds: number;
  graceSeconds: number;
  /** The last ping plus interval and grace: past it without a ping, the monitor declares an incident. */
  deadlineAt?: string;
}

const LIST_READS_AT_ONCE = 8;

/** Heartbeat pings: each is a signal to the monitor's workflow, started by the first ping. */
@Injectable()
export class HeartbeatsService {
  constructor(
    private readonly temporal: TemporalService,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  private monitor(name: string): HeartbeatMonitor {
    const monitor = this.operator.heartbeats.get(name);
    if (!monitor) throw new NotFoundException(`no heartbeat monitor "${name}" in runbooks/heartbeats.ts`);
    return monitor;
  }

  /**
   * Records a ping durably (signal-with-start): the 202 means Temporal has it. Only the keys
   * the monitor names as its senders may ping it, so a key that leaks from one job cannot
   * keep another job's dead-man switch quiet.
   */
  async ping(name: string, principal: Principal): Promise<{ monitor: string; receivedAt: string }> {
    const monitor = this.monitor(name);
    if (!monitor.senders.includes(principal.name)) {
      throw new ForbiddenException(
        `heartbeat monitor "${name}" may be pinged only by the keys its senders list in runbooks/heartbeats.ts names; key "${principal.name}" is not one`,
      );
    }
    const receivedAt = new Date().toISOString();
    const policy = {
      ...policyFor(
        `heartbeat:${name}`,
        { impact: 'high', urgency: 'high', escalationPolicy: monitor.escalationPolicy, runbooks: [], autoMitigate: false },
        this.operator,
      ),
      onRecovery: monitor.onRecovery,
    };
    await this.temporal.call('recording a heartbeat', (client) =>
      client.workflow.signalWithStart<typeof heartbeatWorkflow, [{ at: string; by: string }]>('heartbeatWorkflow', {
        workflowId: heartbeatWorkflowId(name),
        taskQueue: this.temporal.taskQueue,
        args: [{ monitor, policy, maxHistoryEvents: this.config.incidentMaxHistoryEvents }],
        signal: heartbeatPingSignal,
        signalArgs: [{ at: receivedAt, by: principal.name }],
      }),
    );
    return { monitor: name, receivedAt };
  }

  /** A monitor's state, with its interval and grace and, once pinged, when it declares an incident if no ping comes. */
  async status(name: string): Promise<HeartbeatView> {
    const monitor = this.monitor(name);
    let status: HeartbeatStatus;
    try {
      status = await this.temporal.call('reading a heartbeat monitor', (client) =>
        client.workflow.getHandle(heartbeatWorkflowId(name)).query(heartbeatQuery),
      );
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      status = { name, pings: 0, incidentsDeclared: 0 };
    }
    const silenceMs = (monitor.intervalSeconds + monitor.graceSeconds) * 1000;
    const deadlineAt = status.lastPingAt ? new Date(Date.parse(status.lastPingAt) + silenceMs).toISOString() : undefined;
    return { ...status, intervalSeconds: monitor.intervalSeconds, graceSeconds: monitor.graceSeconds, ...(deadlineAt ? { deadlineAt } : {}) };
  }

  /** Every monitor in runbooks/heartbeats.ts, by name, each as {@link status} gives it. */
  async list(): Promise<{ heartbeats: HeartbeatView[] }> {
    const names = [...this.operator.heartbeats.keys()].sort();
    const heartbeats: HeartbeatView[] = [];
    // A few reads at a time: an operator may define many monitors.
    for (let at = 0; at < names.length; at += LIST_READS_AT_ONCE) {
      heartbeats.push(...(await Promise.all(names.slice(at, at + LIST_READS_AT_ONCE).map((name) => this.status(name)))));
    }
    return { heartbeats };
  }
}
