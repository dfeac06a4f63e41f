/**
 * The API's answers and bodies as the console reads them: every type comes from the code the
 * API itself uses (core/ models, zod schemas, DTOs), imported for its type only, so no
 * server code reaches the bundle and nothing is written twice.
 */
import type { z } from 'zod';
import type { ErrorBody, ValidationIssue } from '../../../api/src/http/failures';
import type { DeclareIncident, IncidentPage, IncidentSummary, ListIncidentsQuerySchema } from '../../../api/src/incidents/incidents.dto';
import type { RunbooksService } from '../../../api/src/runbooks/runbooks.service';
import type { ExecutionCreatedSchema, LaunchRunbookSchema } from '../../../api/src/runbooks/runbooks.dto';
import type { ExecutionSnapshot, ExecutionStatus, StepRecord } from '../../../../core/model/execution';
import type { IncidentActionResult, IncidentAlert, IncidentSnapshot } from '../../../../core/model/incident';
import type { IncidentStatus, Severity, TimelineEntry } from '../../../../core/model/incident-model';
import type { Priority } from '../../../../core/model/priority';
import type { Role } from '../../../../core/schemas/config';
import type { IncidentAction, IncidentActionName, IncidentRole } from '../../../../core/schemas/incident-actions';
import type { ExecutionListItem, ExecutionPage, ListExecutionsQuery } from '../../../../core/schemas/executions-api';
import type { CreateOverride, OnCall, ScheduleDetail, ScheduleSummary } from '../../../../core/schemas/oncall-api';
import type { SessionAnswer } from '../../../../core/schemas/session-api';
import type { HeartbeatsService } from '../../../api/src/heartbeats/heartbeats.service';

export type {
  CreateOverride,
  DeclareIncident,
  ErrorBody,
  ExecutionListItem,
  ExecutionPage,
  ExecutionSnapshot,
  ExecutionStatus,
  IncidentAction,
  IncidentActionName,
  IncidentActionResult,
  IncidentAlert,
  IncidentPage,
  IncidentRole,
  IncidentSnapshot,
  IncidentStatus,
  IncidentSummary,
  OnCall,
  Priority,
  Role,
  ScheduleDetail,
  ScheduleSummary,
  SessionAnswer,
  Severity,
  StepRecord,
  TimelineEntry,
  ValidationIssue,
};

export type ListIncidentsQuery = Partial<z.infer<typeof ListIncidentsQuerySchema>>;
export type LaunchRunbook = z.input<typeof LaunchRunbookSchema>;
export type ExecutionCreated = z.infer<typeof ExecutionCreatedSchema>;

/** `GET /v1/runbooks`. */
export type RunbookCatalog = ReturnType<RunbooksService['list']>;
export type RunbookSummary = RunbookCatalog['runbooks'][number];

/** `GET /v1/executions/:id`: the snapshot with attempts per step, and `plan` for a dry run. */
export type ExecutionView = Awaited<ReturnType<RunbooksService['get']>>;

/** `GET /v1/executions` filters, each optional. */
export type ExecutionListQuery = Partial<ListExecutionsQuery>;

/** `GET /v1/heartbeats`. */
export type HeartbeatList = Awaited<ReturnType<HeartbeatsService['list']>>;
