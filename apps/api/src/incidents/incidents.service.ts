import { randomBytes } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { Alert } from '../../../../core/model/alert';
import type { Config } from '../../../../core/schemas/config';
import type { IncidentActionResult, IncidentSnapshot, OpenIncidentInput } from '../../../../core/model/incident';
import type { IncidentCommand } from '../../../../core/schemas/incident-actions';
import { IncidentStatus, type Severity } from '../../../../core/model/incident-model';
import { incidentActionUpdate, incidentQuery } from '../../../../core/model/messages';
import type { OperatorConfig } from '../../../../core/schemas/operator-config';
import { priorityFor } from '../../../../core/model/priority';
import { routeAlert } from '../../../../core/model/routing';
import {
  IncidentCommanderAttribute,
  IncidentServiceAttribute,
  IncidentSeverityAttribute,
  IncidentStatusAttribute,
  listedStart,
} from '../../../../core/model/search-attributes';
import type { incidentWorkflow } from '../../../../workflows/incident/incident.workflow';
import type { Principal } from '../auth/principal';
import { missingAs, NotFoundError } from '../http/failures';
import { MetricsService } from '../metrics/metrics.service';
import { listingTokens } from '../temporal/listing-tokens';
import { TemporalService } from '../temporal/temporal.service';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { launchesForAlert } from '../../../../core/model/runbook-launches';
import { CONFIG, OPERATOR_CONFIG, RUNBOOK_CATALOG } from '../tokens';
import { INCIDENT_ID_PATTERN } from '../../../../temporal-client/incident-ids';
import type { DeclareIncident, IncidentPage, ListIncidentsQueryDto } from './incidents.dto';

const RUNNING = 1; // WORKFLOW_EXECUTION_STATUS_RUNNING
const PAGE_TOKENS = listingTokens('incident', { request: 'pageToken', answer: 'nextPageToken', rule: 'page_token' });

/** A command sent to an incident whose workflow has completed: 409 `the incident is closed`. */
export class IncidentClosedError extends ConflictException {
  constructor(options?: { cause?: unknown }) {
    super('the incident is closed', options);
  }
}

/** Incidents: read from their workflows' queries and from visibility; changed through updates. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly temporal: TemporalService,
    private readonly metrics: MetricsService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    @Inject(RUNBOOK_CATALOG) private readonly runbooks: ReadonlyMap<string, RunbookDefinition>,
  ) {}

  private handle(id: string) {
    if (!INCIDENT_ID_PATTERN.test(id)) throw new NotFoundError('incident', id);
    return this.temporal.client.workflow.getHandle(id);
  }

  async get(id: string): Promise<IncidentSnapshot> {
    const handle = this.handle(id);
    return this.temporal.call('reading an incident', () => handle.query(incidentQuery)).catch(missingAs('incident', id));
  }

  /** Starts the incident; `options.id` (an id derived from the caller's own, such as Slack's trigger id) makes a retry find the first. */
  async declare(body: DeclareIncident, principal: Principal, options: { id?: string } = {}): Promise<{ id: string }> {
    const id = options.id ?? `inc-${randomBytes(6).toString('hex')}`;
    const asAlert: Alert = {
      source: 'manual',
      status: 'firing',
      summary: body.title,
      severity: body.severity,
      dedupKey: id,
      service: body.service,
      labels: body.service ? { service: body.service } : ({} as Record<string, string>),
      annotations: {},
    };
    const decision = routeAlert(asAlert, this.operator);
    const impact = body.impact ?? decision.policy.impact;
    const urgency = body.urgency ?? decision.policy.urgency;
    const open: OpenIncidentInput = {
      incidentId: id,
      title: body.title,
      summary: body.summary,
      severity: body.severity,
      service: body.service,
      commander: body.commander,
      openedBy: principal.name,
      policy: { ...decision.policy, impact, urgency, priority: priorityFor(impact, urgency, this.operator.priorityMatrix) },
      maxHistoryEvents: this.config.incidentMaxHistoryEvents,
      // A declared incident starts its route's runbooks; alert triggers do not apply.
      runbooks: launchesForAlert(asAlert, decision.policy.runbooks, new Map([...this.runbooks].filter(([id]) => decision.policy.runbooks.includes(id)))),
    };
    await this.temporal.call('declaring an incident', (client) =>
      client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        workflowId: id,
        taskQueue: this.temporal.taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...listedStart(open),
      }),
    );
    return { id };
  }

  /**
   * Runs a command on the incident. With an idempotency key, a retried request is the
   * same Temporal update and is not applied twice. The incident's refusal is the update's
   * failure (its `type` says why); a completed incident is an {@link IncidentClosedError}, one
   * that never was a {@link NotFoundError}.
   */
  async act(id: string, command: IncidentCommand, idempotencyKey?: string): Promise<IncidentActionResult> {
    const handle = this.handle(id);
    try {
      const result = await this.temporal.call('running an incident command', () =>
        handle.executeUpdate(incidentActionUpdate, {
          args: [command],
          ...(idempotencyKey ? { updateId: `action:${command.actor}:${idempotencyKey}` } : {}),
        }),
      );
      this.metrics.milestonesReached(result.severity, result.metrics, result.newlyReached);
      return result;
    } catch (error) {
      // A refusal (a failure `type`) is answered by the errors filter; "not found" needs a look here.
      if (error instanceof WorkflowNotFoundError) {
        // A closed incident's workflow has completed: say so rather than "not found".
        const description = await this.temporal
          .call('finding an incident', () => handle.describe())
          .catch(() => undefined);
        if (description) throw new IncidentClosedError({ cause: error });
        throw new NotFoundError('incident', id, { cause: error });
      }
      throw error;
    }
  }

  async postmortem(id: string): Promise<string> {
    const incident = await this.get(id);
    if (!incident.postmortem) {
      throw new ConflictException(`the postmortem is written when the incident resolves; it is ${incident.status}`);
    }
    return incident.postmortem;
  }

  async list(filters: ListIncidentsQueryDto): Promise<IncidentPage> {
    const clauses = [`WorkflowType = 'incidentWorkflow'`];
    const equals = (name: string, value: string | undefined) => {
      if (value !== undefined) clauses.push(`${name} = '${value}'`);
    };
    equals(IncidentStatusAttribute.name, filters.status);
    equals(IncidentSeverityAttribute.name, filters.severity);
    equals(IncidentServiceAttribute.name, filters.service);
    equals(IncidentCommanderAttribute.name, filters.commander);
    if (filters.openedAfter) clauses.push(`StartTime >= '${new Date(filters.openedAfter).toISOString()}'`);
    if (filters.openedBefore) clauses.push(`StartTime <= '${new Date(filters.openedBefore).toISOString()}'`);
    const query = clauses.join(' AND ');
    const response = await this.temporal.call('listing incidents', () =>
      this.temporal.connection.workflowService.listWorkflowExecutions({
        namespace: this.temporal.namespace,
        query,
        pageSize: filters.pageSize,
        nextPageToken: filters.pageToken ? PAGE_TOKENS.open(query, filters.pageToken) : undefined,
      }),
    );
    const incidents = response.executions.map((execution) => {
      const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
      const titlePayload = execution.memo?.fields?.title;
      const seconds = Number(execution.startTime?.seconds ?? 0);
      return {
        id: execution.execution?.workflowId ?? '',
        title: titlePayload ? defaultPayloadConverter.fromPayload<string>(titlePayload) : undefined,
        status: attributes.get(IncidentStatusAttribute) as IncidentStatus | undefined,
        severity: attributes.get(IncidentSeverityAttribute) as Severity | undefined,
        service: attributes.get(IncidentServiceAttribute),
        commander: attributes.get(IncidentCommanderAttribute),
        openedAt: new Date(seconds * 1000 + Math.floor((execution.startTime?.nanos ?? 0) / 1e6)).toISOString(),
        running: execution.status === RUNNING,
      };
    });
    const token = response.nextPageToken?.length ? PAGE_TOKENS.seal(query, response.nextPageToken) : null;
    return { incidents, nextPageToken: token };
  }
}
