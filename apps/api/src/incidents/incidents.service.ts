import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { Alert } from '../../../../core/model/alert';
import type { Config } from '../../../../core/schemas/config';
import type { IncidentActionResult, IncidentSnapshot, OpenIncidentInput } from '../../../../core/model/incident';
import type { IncidentAction } from '../../../../core/schemas/incident-actions';
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
import { missingAs, NotFoundError, ValidationFailedError } from '../http/failures';
import { MetricsService } from '../metrics/metrics.service';
import { TemporalService } from '../temporal/temporal.service';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { launchesForAlert } from '../../../../core/model/runbook-launches';
import { CONFIG, OPERATOR_CONFIG, RUNBOOK_CATALOG } from '../tokens';
import { INCIDENT_ID_PATTERN } from '../../../../temporal-client/incident-ids';
import type { DeclareIncident, IncidentPage, ListIncidentsQueryDto } from './incidents.dto';

const RUNNING = 1; // WORKFLOW_EXECUTION_STATUS_RUNNING

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

  async declare(body: DeclareIncident, principal: Principal): Promise<{ id: string }> {
    const id = `inc-${randomBytes(6).toString('hex')}`;
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
   * same Temporal update and is not applied twice.
   */
  async act(id: string, action: IncidentAction, principal: Principal, idempotencyKey?: string): Promise<IncidentActionResult> {
    const handle = this.handle(id);
    try {
      const result = await this.temporal.call('running an incident command', () =>
        handle.executeUpdate(incidentActionUpdate, {
          args: [{ actor: principal.name, action }],
          ...(idempotencyKey ? { updateId: `action:${principal.name}:${idempotencyKey}` } : {}),
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
        if (description) throw new ConflictException('the incident is closed');
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
        nextPageToken: filters.pageToken ? openPageToken(query, filters.pageToken) : undefined,
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
    const token = response.nextPageToken?.length ? sealPageToken(query, Buffer.from(response.nextPageToken)) : null;
    return { incidents, nextPageToken: token };
  }
}

/**
 * Page tokens carry a check of their listing: Temporal answers a token it cannot decode
 * with an error the client retries until its deadline (a 503), so the API refuses any token
 * it did not hand out for the same filters, up front, with a 400 naming `pageToken`.
 */
const PAGE_TOKEN_CHECK_BYTES = 12;

const pageTokenCheck = (query: string, token: Buffer) =>
  createHash('sha256').update('firebreak incident page\n').update(query).update('\n').update(token).digest().subarray(0, PAGE_TOKEN_CHECK_BYTES);

function sealPageToken(query: string, token: Buffer): string {
  return Buffer.concat([pageTokenCheck(query, token), token]).toString('base64url');
}

function openPageToken(query: string, sealed: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64url');
  const token = bytes.subarray(PAGE_TOKEN_CHECK_BYTES);
  if (token.length === 0 || !timingSafeEqual(bytes.subarray(0, PAGE_TOKEN_CHECK_BYTES), pageTokenCheck(query, token))) {
    const message = 'not a nextPageToken of this listing: use one from an earlier page with the same filters';
    throw new ValidationFailedError([{ path: ['pageToken'], rule: 'page_token', message }]);
  }
  return token;
}
