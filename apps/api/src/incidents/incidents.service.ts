import { randomBytes } from 'node:crypto';
import { ConflictException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
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
import { INCIDENT_ACTION_RIGHTS, mayDo, refusal } from '../../../../core/model/rights';
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
import { listingTokens } from '../temporal/listing-tokens';
import { TemporalService } from '../temporal/temporal.service';
import { onTaskQueue, visibilityLiteral } from '../temporal/visibility';
import type { RunbookDefinition } from '../../../../core/model/runbook';
import { alertLaunchOptions, launchesForAlert } from '../../../../core/model/runbook-launches';
import { CONFIG, OPERATOR_CONFIG, RUNBOOK_CATALOG } from '../tokens';
import { INCIDENT_ID_PATTERN } from '../../../../temporal-client/incident-ids';
import type { RecordCursor, RecordedIncident, SimilarIncident } from '../../../../record/reads';
import { RecordService } from '../record/record.service';
import { type DeclareIncident, type IncidentPage, type ListIncidentsQueryDto, listsFromRecord } from './incidents.dto';
import { withUpdateRetry } from '../../../../temporal-client/update-retry';

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
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OPERATOR_CONFIG) private readonly operator: OperatorConfig,
    @Inject(RUNBOOK_CATALOG) private readonly runbooks: ReadonlyMap<string, RunbookDefinition>,
    private readonly record: RecordService,
  ) {}

  private handle(id: string) {
    if (!INCIDENT_ID_PATTERN.test(id)) throw new NotFoundError('incident', id);
    return this.temporal.client.workflow.getHandle(id);
  }

  /**
   * The incident as its workflow knows it; once the workflow is gone (past Temporal's
   * retention, or terminated), as the record keeps it (`archived: true`).
   */
  async get(id: string): Promise<IncidentSnapshot | RecordedIncident> {
    const handle = this.handle(id);
    try {
      return await this.temporal.call('reading an incident', () => handle.query(incidentQuery)).catch(missingAs('incident', id));
    } catch (error) {
      if (!(error instanceof NotFoundError) || !this.record.configured) throw error;
      const recorded = await this.record.store.readIncident(id);
      if (!recorded) throw error;
      return recorded;
    }
  }

  /**
   * Past incidents of the same service or with alerts of the same name, newest first, with
   * the runbooks they ran and their time to resolve. What the incident is compared on comes
   * from the record, or from its workflow when it is not recorded yet.
   */
  async similar(id: string, limit: number): Promise<{ incidentId: string; service?: string; alertnames: string[]; incidents: SimilarIncident[] }> {
    const store = this.record.store;
    let like = await store.similarityOf(id);
    if (!like) {
      const live = await this.get(id);
      const names = live.alerts.map((alert) => alert.labels.alertname ?? alert.summary);
      like = { service: live.service, alertnames: [...new Set(names)] };
    }
    const incidents = await store.similarIncidents({ id, limit, ...like });
    return { incidentId: id, ...like, incidents };
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
      runbooks: launchesForAlert(
        asAlert,
        decision.policy.runbooks,
        new Map([...this.runbooks].filter(([id]) => decision.policy.runbooks.includes(id))),
        alertLaunchOptions(this.operator, decision.policy.route, principal.name),
      ),
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
   * that never was a {@link NotFoundError}. A command on behalf of `principal` (a key, a
   * console session, a Slack user) needs its action's right; one from a notification or an
   * alert protocol carries its own credential.
   */
  async act(id: string, command: IncidentCommand, idempotencyKey?: string, on: { principal?: Principal } = {}): Promise<IncidentActionResult> {
    const right = INCIDENT_ACTION_RIGHTS[command.action.action];
    if (on.principal && !mayDo(on.principal, right)) throw new ForbiddenException(refusal(on.principal, right));
    const handle = this.handle(id);
    try {
      // A command that met the incident continuing as new was applied nowhere: it is sent again.
      const result = await withUpdateRetry(() =>
        this.temporal.call('running an incident command', () =>
          handle.executeUpdate(incidentActionUpdate, {
            args: [command],
            ...(idempotencyKey ? { updateId: `action:${command.actor}:${idempotencyKey}` } : {}),
          }),
        ),
      );
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

  /**
   * Incidents by filters. Search (`q`), archived incidents and sorting come from the record;
   * the rest from Temporal's visibility, as the live list always has.
   */
  async list(filters: ListIncidentsQueryDto): Promise<IncidentPage> {
    if (listsFromRecord(filters)) return this.listRecorded(filters);
    const clauses = [`WorkflowType = 'incidentWorkflow'`, onTaskQueue(this.temporal.taskQueue)];
    const equals = (name: string, value: string | undefined) => {
      if (value !== undefined) clauses.push(`${name} = ${visibilityLiteral(value)}`);
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

  private async listRecorded(filters: ListIncidentsQueryDto): Promise<IncidentPage> {
    const sort = filters.sort ?? 'opened';
    const { incidents, next } = await this.record.store.listIncidents({
      q: filters.q,
      status: filters.status,
      severity: filters.severity,
      service: filters.service,
      commander: filters.commander,
      openedAfter: filters.openedAfter,
      openedBefore: filters.openedBefore,
      sort,
      order: filters.order,
      pageSize: filters.pageSize,
      after: filters.pageToken ? openRecordToken(filters.pageToken, `${sort}:${filters.order}`) : undefined,
    });
    return { incidents, nextPageToken: next ? sealRecordToken(next, `${sort}:${filters.order}`) : null };
  }
}

/** A record page's end as a page token, bound to the sort it was made for. */
function sealRecordToken(cursor: RecordCursor, sort: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: cursor.value, i: cursor.id })).toString('base64url');
}

function openRecordToken(token: string, sort: string): RecordCursor {
  const refuse = () => new ValidationFailedError([{ path: ['pageToken'], rule: 'page_token', message: 'a nextPageToken from an earlier page of the same search and sort' }]);
  let parsed: { s?: unknown; v?: unknown; i?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw refuse();
  }
  const valid = parsed && parsed.s === sort && typeof parsed.i === 'string' && (typeof parsed.v === 'string' ? !Number.isNaN(Date.parse(parsed.v)) : typeof parsed.v === 'number');
  if (!valid) throw refuse();
  return { value: parsed.v as string | number, id: parsed.i as string };
}
