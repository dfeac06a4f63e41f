import { Injectable, NotFoundException } from '@nestjs/common';
import { defaultPayloadConverter, WorkflowNotFoundError, QueryNotRegisteredError } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { IncidentSnapshot } from '../../../../core/incident';
import type { IncidentStatus, Severity } from '../../../../core/incident-model';
import { incidentQuery } from '../../../../core/messages';
import {
  IncidentServiceAttribute,
  IncidentSeverityAttribute,
  IncidentStatusAttribute,
} from '../../../../core/search-attributes';
import { TemporalService } from '../temporal/temporal.service';
import { INCIDENT_ID_PATTERN } from './incident-ids';
import type { IncidentPage, ListIncidentsQueryDto } from './incidents.dto';

/** Reads incidents: one from its workflow's query, many from Temporal's visibility. */
@Injectable()
export class IncidentsService {
  constructor(private readonly temporal: TemporalService) {}

  async get(id: string): Promise<IncidentSnapshot> {
    if (!INCIDENT_ID_PATTERN.test(id)) throw new NotFoundException(`no incident ${id}`);
    try {
      return await this.temporal.call('reading an incident', () =>
        this.temporal.client.workflow.getHandle(id).query(incidentQuery),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || error instanceof QueryNotRegisteredError) {
        throw new NotFoundException(`no incident ${id}`);
      }
      throw error;
    }
  }

  async list(filters: ListIncidentsQueryDto): Promise<IncidentPage> {
    const clauses = [`WorkflowType = 'incidentWorkflow'`];
    if (filters.status) clauses.push(`${IncidentStatusAttribute.name} = '${filters.status}'`);
    if (filters.severity) clauses.push(`${IncidentSeverityAttribute.name} = '${filters.severity}'`);
    if (filters.service) clauses.push(`${IncidentServiceAttribute.name} = '${filters.service}'`);
    const response = await this.temporal.call('listing incidents', () =>
      this.temporal.connection.workflowService.listWorkflowExecutions({
        namespace: this.temporal.namespace,
        query: clauses.join(' AND '),
        pageSize: filters.pageSize,
        nextPageToken: filters.pageToken ? Buffer.from(filters.pageToken, 'base64url') : undefined,
      }),
    );
    const incidents = response.executions.map((execution) => {
      const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
      const titlePayload = execution.memo?.fields?.title;
      const title = titlePayload ? defaultPayloadConverter.fromPayload<string>(titlePayload) : undefined;
      const seconds = Number(execution.startTime?.seconds ?? 0);
      return {
        id: execution.execution?.workflowId ?? '',
        title,
        status: attributes.get(IncidentStatusAttribute) as IncidentStatus | undefined,
        severity: attributes.get(IncidentSeverityAttribute) as Severity | undefined,
        service: attributes.get(IncidentServiceAttribute),
        openedAt: new Date(seconds * 1000 + Math.floor((execution.startTime?.nanos ?? 0) / 1e6)).toISOString(),
        // WORKFLOW_EXECUTION_STATUS_RUNNING
        running: execution.status === 1,
      };
    });
    const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : null;
    return { incidents, nextPageToken: token };
  }
}
