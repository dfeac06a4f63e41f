/**
 * The local status page's messages, defined once and imported by its entity workflow
 * (`workflows/status-page.ts`), the local status-page activities and the API's `/status`.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';
import type {
  OpenStatusIncidentInputSchema,
  SetComponentStatusInputSchema,
  StatusIncident,
  StatusPageIncident,
  StatusPageIncidentRecord,
  StatusPageSnapshot,
  UpdateStatusIncidentInputSchema,
} from '../schemas/capabilities/status-page';

/** The entity workflow's type name. */
export const STATUS_PAGE_WORKFLOW_TYPE = 'statusPageWorkflow';

const DEFAULT_TASK_QUEUE = 'firebreak';

/**
 * The id of the one status-page workflow of a Firebreak deployment: `firebreak-status-page`
 * on the default task queue, `firebreak-status-page-<queue>` on any other. A deployment is a
 * namespace plus a task queue, so the worker and the API derive the same id from settings
 * they already share, and deployments (or tests) on other queues keep pages of their own.
 */
export function statusPageWorkflowId(taskQueue: string): string {
  return taskQueue === DEFAULT_TASK_QUEUE ? 'firebreak-status-page' : `firebreak-status-page-${taskQueue}`;
}

/** Parsed activity inputs: the schemas' defaults are applied before they reach the workflow. */
export type OpenStatusIncidentCommand = z.output<typeof OpenStatusIncidentInputSchema>;
export type UpdateStatusIncidentCommand = z.output<typeof UpdateStatusIncidentInputSchema>;
export type SetComponentStatusCommand = z.output<typeof SetComponentStatusInputSchema>;

/** What the workflow carries across continue-as-new. */
export interface StatusPageState {
  /** Sequence for incident ids (`SP-1`, `SP-2`, ...). */
  nextId: number;
  components: Record<string, { status: StatusPageIncident['components'][string]; updatedAt: string }>;
  /** Active and recently resolved incidents, oldest first (internal records: see the query for the public shape). */
  incidents: StatusPageIncidentRecord[];
  /** Idempotency keys already applied, oldest first, with the incident each one touched. */
  applied: Array<[key: string, statusIncidentId: string | null]>;
}

export interface StatusPageWorkflowInput {
  state?: StatusPageState;
  /**
   * Continue as new once history holds this many events (or when Temporal suggests it).
   * @default 2000
   */
  historyLimit?: number;
}

/**
 * The status page workflow's signature, for code that starts it by its type name
 * ({@link STATUS_PAGE_WORKFLOW_TYPE}) without importing workflow code.
 */
export type StatusPageWorkflow = (input?: StatusPageWorkflowInput) => Promise<never>;

/** Opens an incident; a repeated idempotency key returns the first answer with `created: false`. */
export const openStatusIncidentUpdate = defineUpdate<StatusIncident, [OpenStatusIncidentCommand]>('openStatusIncident');

/** Posts an update; status `resolved` resolves the incident. Rejected for an unknown incident. */
export const updateStatusIncidentUpdate = defineUpdate<void, [UpdateStatusIncidentCommand]>('updateStatusIncident');

export const setComponentStatusUpdate = defineUpdate<void, [SetComponentStatusCommand]>('setComponentStatus');

/** The page as the public sees it: public fields only (no Firebreak incident ids). */
export const statusPageQuery = defineQuery<StatusPageSnapshot>('statusPage');
