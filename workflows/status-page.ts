import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { worstComponentStatus } from '../core/capabilities/component-status';
import { CapabilityFailure } from '../core/capabilities/keys';
import type {
  ComponentStatus,
  StatusIncident,
  StatusPageIncident,
  StatusPageSnapshot,
} from '../core/capabilities/status-page';
import {
  type OpenStatusIncidentCommand,
  type SetComponentStatusCommand,
  type StatusPageState,
  type StatusPageWorkflowInput,
  type UpdateStatusIncidentCommand,
  openStatusIncidentUpdate,
  setComponentStatusUpdate,
  statusPageQuery,
  updateStatusIncidentUpdate,
} from '../core/status-page-messages';

/** Resolved incidents kept for the page's history. */
const RESOLVED_KEPT = 20;
/** Idempotency keys remembered: far more than any step retries within. */
const APPLIED_KEPT = 5_000;
const DEFAULT_HISTORY_LIMIT = 2_000;

/**
 * Firebreak's own public status page (the local status-page adapter): components, incidents
 * and their updates, changed by updates and read by query. One long-lived workflow per
 * deployment, started on demand by update-with-start; it continues as new before its history
 * grows large, carrying its state.
 */
export async function statusPageWorkflow(input: StatusPageWorkflowInput = {}): Promise<never> {
  const state: StatusPageState = input.state ?? { nextId: 1, components: {}, incidents: [], applied: [] };
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const applied = new Map(state.applied);
  const now = () => new Date().toISOString();

  const remember = (key: string, statusIncidentId: string | null) => {
    applied.set(key, statusIncidentId);
    if (applied.size > APPLIED_KEPT) applied.delete(applied.keys().next().value as string);
  };

  const setComponents = (components: Record<string, ComponentStatus>, at: string) => {
    for (const [name, status] of Object.entries(components)) state.components[name] = { status, updatedAt: at };
  };

  const find = (id: string) => state.incidents.find((incident) => incident.id === id);

  const trimResolved = () => {
    const resolved = state.incidents.filter((incident) => incident.resolvedAt);
    const drop = new Set(resolved.slice(0, Math.max(0, resolved.length - RESOLVED_KEPT)));
    state.incidents = state.incidents.filter((incident) => !drop.has(incident));
  };

  const urlOf = (id: string) => `/status#${id}`;

  setHandler(openStatusIncidentUpdate, (command: OpenStatusIncidentCommand): StatusIncident => {
    const known = applied.get(command.idempotencyKey);
    if (known) return { id: known, url: urlOf(known), created: false };
    const at = now();
    const incident: StatusPageIncident = {
      id: `SP-${state.nextId++}`,
      incidentId: command.incidentId,
      title: command.title,
      status: command.status,
      createdAt: at,
      updatedAt: at,
      components: { ...command.components },
      updates: [{ at, status: command.status, message: command.message }],
    };
    if (command.status === 'resolved') incident.resolvedAt = at;
    state.incidents.push(incident);
    setComponents(command.components, at);
    remember(command.idempotencyKey, incident.id);
    return { id: incident.id, url: urlOf(incident.id), created: true };
  });

  setHandler(
    updateStatusIncidentUpdate,
    (command: UpdateStatusIncidentCommand): void => {
      if (applied.has(command.idempotencyKey)) return;
      const incident = find(command.statusIncidentId)!;
      const at = now();
      incident.status = command.status;
      incident.updatedAt = at;
      incident.updates.unshift({ at, status: command.status, message: command.message });
      Object.assign(incident.components, command.components);
      setComponents(command.components, at);
      if (command.status === 'resolved' && !incident.resolvedAt) {
        incident.resolvedAt = at;
        // Components this incident degraded and this update did not set go back to operational,
        // unless another open incident still holds them.
        const stillHeld = new Set(
          state.incidents.filter((other) => !other.resolvedAt).flatMap((other) => Object.keys(other.components)),
        );
        for (const name of Object.keys(incident.components)) {
          if (!(name in command.components) && !stillHeld.has(name)) {
            incident.components[name] = 'operational';
            state.components[name] = { status: 'operational', updatedAt: at };
          }
        }
        trimResolved();
      }
      remember(command.idempotencyKey, incident.id);
    },
    {
      validator: (command: UpdateStatusIncidentCommand) => {
        if (!applied.has(command.idempotencyKey) && !find(command.statusIncidentId)) {
          throw ApplicationFailure.nonRetryable(
            `no status-page incident ${command.statusIncidentId}`,
            CapabilityFailure.Rejected,
          );
        }
      },
    },
  );

  setHandler(setComponentStatusUpdate, (command: SetComponentStatusCommand): void => {
    if (applied.has(command.idempotencyKey)) return;
    setComponents({ [command.component]: command.status }, now());
    remember(command.idempotencyKey, null);
  });

  setHandler(statusPageQuery, (): StatusPageSnapshot => {
    const components = Object.entries(state.components)
      .map(([name, { status, updatedAt }]) => ({ name, status, updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const newestFirst = [...state.incidents].reverse();
    const stamps = [...components.map((c) => c.updatedAt), ...state.incidents.map((i) => i.updatedAt)].sort();
    return {
      overall: worstComponentStatus(components.map((component) => component.status)),
      updatedAt: stamps.at(-1) ?? null,
      components,
      activeIncidents: newestFirst.filter((incident) => !incident.resolvedAt),
      resolvedIncidents: newestFirst.filter((incident) => incident.resolvedAt),
    };
  });

  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit);
  await condition(allHandlersFinished);
  return continueAsNew<typeof statusPageWorkflow>({
    state: { ...state, applied: [...applied] },
    historyLimit: input.historyLimit,
  });
}
