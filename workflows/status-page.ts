import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { worstComponentStatus } from '../core/capabilities/component-status';
import { CapabilityFailure } from '../core/capabilities/keys';
import type {
  ComponentStatus,
  StatusIncident,
  StatusPageIncident,
  StatusPageIncidentRecord,
  StatusPageSnapshot,
} from '../core/capabilities/status-page';
import { STATUS_PAGE_BOUNDS as BOUNDS, fitStatusText } from '../core/status-page-bounds';
import { utf8Bytes } from '../core/text';
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

const DEFAULT_HISTORY_LIMIT = 2_000;

/** What a status incident shows when its title or message had no printable text. */
const FALLBACK_TITLE = 'Service disruption';
const FALLBACK_MESSAGE = 'We are looking into this.';

const refuse = (message: string, type: string = CapabilityFailure.Rejected) => ApplicationFailure.nonRetryable(message, type);

/**
 * Firebreak's own public status page (the local status-page adapter): components, incidents
 * and their updates, changed by updates and read by query. One long-lived workflow per
 * deployment, started on demand by update-with-start (and by the API at boot); it continues
 * as new before its history grows large, carrying its state.
 *
 * Its state is bounded whatever is posted (see {@link BOUNDS}): titles and messages are
 * fitted, each incident keeps its newest updates and counts the rest, unresolved incidents
 * and known components are capped (past a cap, the command is refused for good, never
 * applied in part), and the whole state is held under a byte budget, so continue-as-new
 * always fits in one payload.
 */
export async function statusPageWorkflow(input: StatusPageWorkflowInput = {}): Promise<never> {
  // Runs started before the bounds continue as new on history length only, as they always did.
  const bounded = patched('status-page-bounded-state');
  const state: StatusPageState = input.state ?? { nextId: 1, components: {}, incidents: [], applied: [] };
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const applied = new Map(state.applied);
  const now = () => new Date().toISOString();

  const remember = (key: string, statusIncidentId: string | null) => {
    applied.set(key, statusIncidentId);
    while (applied.size > BOUNDS.appliedKeys) applied.delete(applied.keys().next().value as string);
  };

  const setComponents = (components: Record<string, ComponentStatus>, at: string) => {
    for (const [name, status] of Object.entries(components)) state.components[name] = { status, updatedAt: at };
  };

  const find = (id: string) => state.incidents.find((incident) => incident.id === id);
  const active = () => state.incidents.filter((incident) => !incident.resolvedAt);

  /** Keeps an incident's newest `keep` updates and counts the ones it drops. */
  const keepUpdates = (incident: StatusPageIncidentRecord, keep: number) => {
    if (incident.updates.length <= keep) return;
    incident.earlierUpdates = (incident.earlierUpdates ?? 0) + incident.updates.length - keep;
    incident.updates = incident.updates.slice(0, keep);
  };

  const trimResolved = () => {
    const resolved = state.incidents.filter((incident) => incident.resolvedAt);
    for (const incident of resolved) keepUpdates(incident, BOUNDS.updatesPerResolvedIncident);
    const drop = new Set(resolved.slice(0, Math.max(0, resolved.length - BOUNDS.resolvedIncidents)));
    state.incidents = state.incidents.filter((incident) => !drop.has(incident));
  };

  const measure = () => utf8Bytes(JSON.stringify(state)) + utf8Bytes(JSON.stringify([...applied]));

  /**
   * The backstop behind the caps: while the state is over its byte budget, drop what matters
   * least first (resolved incidents' older updates, then resolved incidents, then the older
   * updates of the unresolved incident holding most, then the oldest idempotency keys).
   */
  const keepWithinBudget = () => {
    while (measure() > BOUNDS.stateBytes) {
      const resolved = state.incidents.filter((incident) => incident.resolvedAt);
      const longResolved = resolved.find((incident) => incident.updates.length > 1);
      if (longResolved) {
        keepUpdates(longResolved, 1);
        continue;
      }
      if (resolved.length > 0) {
        state.incidents = state.incidents.filter((incident) => incident !== resolved[0]);
        continue;
      }
      const longest = active().sort((a, b) => b.updates.length - a.updates.length)[0];
      if (longest && longest.updates.length > 1) {
        keepUpdates(longest, Math.ceil(longest.updates.length / 2));
        continue;
      }
      if (applied.size > 100) {
        for (const key of [...applied.keys()].slice(0, Math.ceil(applied.size / 2))) applied.delete(key);
        continue;
      }
      return;
    }
  };

  /** A state carried from a run before the bounds may be over them: bring it within. */
  const normalise = () => {
    for (const incident of state.incidents) {
      incident.title = fitStatusText(incident.title, BOUNDS.titleBytes) || FALLBACK_TITLE;
      for (const update of incident.updates) update.message = fitStatusText(update.message, BOUNDS.messageBytes) || FALLBACK_MESSAGE;
      keepUpdates(incident, incident.resolvedAt ? BOUNDS.updatesPerResolvedIncident : BOUNDS.updatesPerActiveIncident);
    }
    trimResolved();
    while (applied.size > BOUNDS.appliedKeys) applied.delete(applied.keys().next().value as string);
    keepWithinBudget();
  };
  normalise();

  const urlOf = (id: string) => `/status#${id}`;

  /** Refuses, before anything is applied, a command that would take the page past a bound. */
  const checkComponents = (components: Record<string, ComponentStatus>) => {
    const names = Object.keys(components);
    if (names.length > BOUNDS.componentsPerCommand) {
      throw refuse(`at most ${BOUNDS.componentsPerCommand} components per status update (got ${names.length})`, CapabilityFailure.OutOfBounds);
    }
    const tooLong = names.find((name) => name.length > BOUNDS.componentNameLength);
    if (tooLong !== undefined) {
      throw refuse(`component names are at most ${BOUNDS.componentNameLength} characters`, CapabilityFailure.OutOfBounds);
    }
    const known = new Set(Object.keys(state.components));
    const added = names.filter((name) => !known.has(name)).length;
    if (known.size + added > BOUNDS.components) {
      throw refuse(
        `the status page knows ${known.size} components (at most ${BOUNDS.components}); a new one cannot be added`,
        CapabilityFailure.OutOfBounds,
      );
    }
  };

  const activeBound = () =>
    refuse(
      `the status page already shows ${BOUNDS.activeIncidents} unresolved incidents (at most ${BOUNDS.activeIncidents}): ` +
        'resolve one, or post this as an update to an incident already open',
      CapabilityFailure.OutOfBounds,
    );

  setHandler(
    openStatusIncidentUpdate,
    (command: OpenStatusIncidentCommand): StatusIncident => {
      const known = applied.get(command.idempotencyKey);
      if (known) return { id: known, url: urlOf(known), created: false };
      const at = now();
      const incident: StatusPageIncidentRecord = {
        id: `SP-${state.nextId++}`,
        incidentId: command.incidentId,
        title: fitStatusText(command.title, BOUNDS.titleBytes) || FALLBACK_TITLE,
        status: command.status,
        createdAt: at,
        updatedAt: at,
        components: { ...command.components },
        updates: [{ at, status: command.status, message: fitStatusText(command.message, BOUNDS.messageBytes) || FALLBACK_MESSAGE }],
        earlierUpdates: 0,
      };
      if (command.status === 'resolved') incident.resolvedAt = at;
      state.incidents.push(incident);
      setComponents(command.components, at);
      remember(command.idempotencyKey, incident.id);
      trimResolved();
      keepWithinBudget();
      return { id: incident.id, url: urlOf(incident.id), created: true };
    },
    {
      validator: (command: OpenStatusIncidentCommand) => {
        if (applied.get(command.idempotencyKey)) return;
        if (command.status !== 'resolved' && active().length >= BOUNDS.activeIncidents) throw activeBound();
        checkComponents(command.components);
      },
    },
  );

  setHandler(
    updateStatusIncidentUpdate,
    (command: UpdateStatusIncidentCommand): void => {
      if (applied.has(command.idempotencyKey)) return;
      const incident = find(command.statusIncidentId)!;
      const at = now();
      // An update that is not a resolution reopens a resolved incident: the page shows it again.
      if (command.status !== 'resolved' && incident.resolvedAt) delete incident.resolvedAt;
      incident.status = command.status;
      incident.updatedAt = at;
      incident.updates.unshift({ at, status: command.status, message: fitStatusText(command.message, BOUNDS.messageBytes) || FALLBACK_MESSAGE });
      keepUpdates(incident, BOUNDS.updatesPerActiveIncident);
      Object.assign(incident.components, command.components);
      setComponents(command.components, at);
      if (command.status === 'resolved' && !incident.resolvedAt) {
        incident.resolvedAt = at;
        // Components this incident degraded and this update did not set go back to operational,
        // unless another open incident still holds them.
        const stillHeld = new Set(active().flatMap((other) => Object.keys(other.components)));
        for (const name of Object.keys(incident.components)) {
          if (!(name in command.components) && !stillHeld.has(name)) {
            incident.components[name] = 'operational';
            state.components[name] = { status: 'operational', updatedAt: at };
          }
        }
      }
      trimResolved();
      remember(command.idempotencyKey, incident.id);
      keepWithinBudget();
    },
    {
      validator: (command: UpdateStatusIncidentCommand) => {
        if (applied.has(command.idempotencyKey)) return;
        const incident = find(command.statusIncidentId);
        if (!incident) {
          const number = /^SP-(\d+)$/.exec(command.statusIncidentId)?.[1];
          const dropped = number !== undefined && Number(number) < state.nextId;
          throw refuse(
            dropped
              ? `status-page incident ${command.statusIncidentId} was resolved and is no longer kept (the page keeps the ${BOUNDS.resolvedIncidents} most recent); open a new one`
              : `no status-page incident ${command.statusIncidentId}`,
          );
        }
        if (incident.resolvedAt && command.status !== 'resolved' && active().length >= BOUNDS.activeIncidents) throw activeBound();
        checkComponents(command.components);
      },
    },
  );

  setHandler(
    setComponentStatusUpdate,
    (command: SetComponentStatusCommand): void => {
      if (applied.has(command.idempotencyKey)) return;
      setComponents({ [command.component]: command.status }, now());
      remember(command.idempotencyKey, null);
      keepWithinBudget();
    },
    {
      validator: (command: SetComponentStatusCommand) => {
        if (!applied.has(command.idempotencyKey)) checkComponents({ [command.component]: command.status });
      },
    },
  );

  const publicIncident = (record: StatusPageIncidentRecord): StatusPageIncident => ({
    id: record.id,
    title: record.title,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    components: { ...record.components },
    updates: record.updates,
    earlierUpdates: record.earlierUpdates ?? 0,
  });

  setHandler(statusPageQuery, (): StatusPageSnapshot => {
    const components = Object.entries(state.components)
      .map(([name, { status, updatedAt }]) => ({ name, status, updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const newestFirst = [...state.incidents].reverse();
    const stamps = [...components.map((c) => c.updatedAt), ...state.incidents.map((i) => i.updatedAt)].sort();
    // An unresolved incident never sits under "All systems operational", even one naming no component.
    const floor: ComponentStatus = active().length > 0 ? 'degraded_performance' : 'operational';
    return {
      overall: worstComponentStatus([floor, ...components.map((component) => component.status)]),
      updatedAt: stamps.at(-1) ?? null,
      components,
      activeIncidents: newestFirst.filter((incident) => !incident.resolvedAt).map(publicIncident),
      resolvedIncidents: newestFirst.filter((incident) => incident.resolvedAt).map(publicIncident),
    };
  });

  await condition(
    () =>
      workflowInfo().continueAsNewSuggested ||
      workflowInfo().historyLength >= historyLimit ||
      (bounded && workflowInfo().historySize >= BOUNDS.historyBytes),
  );
  await condition(allHandlersFinished);
  return continueAsNew<typeof statusPageWorkflow>({
    state: { ...state, applied: [...applied] },
    historyLimit: input.historyLimit,
  });
}
