import { ApplicationFailure } from '@temporalio/workflow';
import { worstComponentStatus } from '../core/model/capabilities/component-status';
import { CapabilityFailure } from '../core/model/capabilities/keys';
import type {
  ComponentStatus,
  StatusIncident,
  StatusPageIncident,
  StatusPageIncidentRecord,
  StatusPageSnapshot,
} from '../core/schemas/capabilities/status-page';
import { STATUS_PAGE_BOUNDS as BOUNDS, fitStatusText } from '../core/model/status-page-bounds';
import { utf8Bytes } from '../core/model/text';
import type {
  OpenStatusIncidentCommand,
  SetComponentStatusCommand,
  StatusPageState,
  UpdateStatusIncidentCommand,
} from '../core/model/status-page-messages';

/** What a status incident shows when its title or message had no printable text. */
const FALLBACK_TITLE = 'Service disruption';
const FALLBACK_MESSAGE = 'We are looking into this.';

const refuse = (message: string, type: string = CapabilityFailure.Rejected) => ApplicationFailure.nonRetryable(message, type);

const fitTitle = (title: string) => fitStatusText(title, BOUNDS.titleBytes) || FALLBACK_TITLE;
const fitMessage = (message: string) => fitStatusText(message, BOUNDS.messageBytes) || FALLBACK_MESSAGE;

/** Keeps an incident's newest `keep` updates and counts the ones it drops. */
function keepUpdates(incident: StatusPageIncidentRecord, keep: number): void {
  if (incident.updates.length <= keep) return;
  incident.earlierUpdates = (incident.earlierUpdates ?? 0) + incident.updates.length - keep;
  incident.updates = incident.updates.slice(0, keep);
}

export const urlOf = (id: string): string => `/status#${id}`;

/**
 * The status page's state and the rules that keep it within {@link BOUNDS}: each command is
 * checked before anything is applied (refused whole, never applied in part), and applied
 * idempotently by its key. The workflow wires these to its updates and query.
 */
export class StatusPageBook {
  /** Idempotency keys applied, oldest first, with the status incident each one made or changed. */
  readonly applied: Map<string, string | null>;

  constructor(readonly state: StatusPageState) {
    this.applied = new Map(state.applied);
  }

  /** What continue-as-new carries. */
  carried(): StatusPageState {
    return { ...this.state, applied: [...this.applied] };
  }

  find(id: string): StatusPageIncidentRecord | undefined {
    return this.state.incidents.find((incident) => incident.id === id);
  }

  active(): StatusPageIncidentRecord[] {
    return this.state.incidents.filter((incident) => !incident.resolvedAt);
  }

  /** A state carried from a run before the bounds may be over them: bring it within. */
  normalise(): void {
    for (const incident of this.state.incidents) {
      incident.title = fitTitle(incident.title);
      for (const update of incident.updates) update.message = fitMessage(update.message);
      keepUpdates(incident, incident.resolvedAt ? BOUNDS.updatesPerResolvedIncident : BOUNDS.updatesPerActiveIncident);
    }
    this.trimResolved();
    this.trimApplied();
    this.keepWithinBudget();
  }

  // ---- checks (validators) ----------------------------------------------------------------

  checkOpen(command: OpenStatusIncidentCommand): void {
    if (this.applied.get(command.idempotencyKey)) return;
    if (command.status !== 'resolved' && this.active().length >= BOUNDS.activeIncidents) throw activeBound();
    this.checkComponents(command.components);
  }

  checkUpdate(command: UpdateStatusIncidentCommand): void {
    if (this.applied.has(command.idempotencyKey)) return;
    const incident = this.find(command.statusIncidentId);
    if (!incident) {
      const number = /^SP-(\d+)$/.exec(command.statusIncidentId)?.[1];
      const dropped = number !== undefined && Number(number) < this.state.nextId;
      throw refuse(
        dropped
          ? `status-page incident ${command.statusIncidentId} was resolved and is no longer kept (the page keeps the ${BOUNDS.resolvedIncidents} most recent); open a new one`
          : `no status-page incident ${command.statusIncidentId}`,
      );
    }
    if (incident.resolvedAt && command.status !== 'resolved' && this.active().length >= BOUNDS.activeIncidents) throw activeBound();
    this.checkComponents(command.components);
  }

  checkSetComponent(command: SetComponentStatusCommand): void {
    if (!this.applied.has(command.idempotencyKey)) this.checkComponents({ [command.component]: command.status });
  }

  /** Refuses, before anything is applied, a command that would take the page past a bound. */
  private checkComponents(components: Record<string, ComponentStatus>): void {
    const names = Object.keys(components);
    if (names.length > BOUNDS.componentsPerCommand) {
      throw refuse(`at most ${BOUNDS.componentsPerCommand} components per status update (got ${names.length})`, CapabilityFailure.OutOfBounds);
    }
    const tooLong = names.find((name) => name.length > BOUNDS.componentNameLength);
    if (tooLong !== undefined) {
      throw refuse(`component names are at most ${BOUNDS.componentNameLength} characters`, CapabilityFailure.OutOfBounds);
    }
    const known = new Set(Object.keys(this.state.components));
    const added = names.filter((name) => !known.has(name)).length;
    if (known.size + added > BOUNDS.components) {
      throw refuse(
        `the status page knows ${known.size} components (at most ${BOUNDS.components}); a new one cannot be added`,
        CapabilityFailure.OutOfBounds,
      );
    }
  }

  // ---- commands (checked first) -------------------------------------------------------------

  open(command: OpenStatusIncidentCommand, at: string): StatusIncident {
    const known = this.applied.get(command.idempotencyKey);
    if (known) return { id: known, url: urlOf(known), created: false };
    const incident: StatusPageIncidentRecord = {
      id: `SP-${this.state.nextId++}`,
      incidentId: command.incidentId,
      title: fitTitle(command.title),
      status: command.status,
      createdAt: at,
      updatedAt: at,
      components: { ...command.components },
      updates: [{ at, status: command.status, message: fitMessage(command.message) }],
      earlierUpdates: 0,
    };
    if (command.status === 'resolved') incident.resolvedAt = at;
    this.state.incidents.push(incident);
    this.setComponents(command.components, at);
    this.remember(command.idempotencyKey, incident.id);
    this.trimResolved();
    this.keepWithinBudget();
    return { id: incident.id, url: urlOf(incident.id), created: true };
  }

  update(command: UpdateStatusIncidentCommand, at: string): void {
    if (this.applied.has(command.idempotencyKey)) return;
    const incident = this.find(command.statusIncidentId)!;
    // An update that is not a resolution reopens a resolved incident: the page shows it again.
    if (command.status !== 'resolved' && incident.resolvedAt) delete incident.resolvedAt;
    incident.status = command.status;
    incident.updatedAt = at;
    incident.updates.unshift({ at, status: command.status, message: fitMessage(command.message) });
    keepUpdates(incident, BOUNDS.updatesPerActiveIncident);
    Object.assign(incident.components, command.components);
    this.setComponents(command.components, at);
    if (command.status === 'resolved' && !incident.resolvedAt) {
      incident.resolvedAt = at;
      // Components this incident degraded and this update did not set go back to operational,
      // unless another open incident still holds them.
      const stillHeld = new Set(this.active().flatMap((other) => Object.keys(other.components)));
      for (const name of Object.keys(incident.components)) {
        if (!(name in command.components) && !stillHeld.has(name)) {
          incident.components[name] = 'operational';
          this.state.components[name] = { status: 'operational', updatedAt: at };
        }
      }
    }
    this.trimResolved();
    this.remember(command.idempotencyKey, incident.id);
    this.keepWithinBudget();
  }

  setComponent(command: SetComponentStatusCommand, at: string): void {
    if (this.applied.has(command.idempotencyKey)) return;
    this.setComponents({ [command.component]: command.status }, at);
    this.remember(command.idempotencyKey, null);
    this.keepWithinBudget();
  }

  /** The page as the query shows it: newest incidents first, the overall status the worst component's. */
  snapshot(): StatusPageSnapshot {
    const { state } = this;
    const components = Object.entries(state.components)
      .map(([name, { status, updatedAt }]) => ({ name, status, updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const newestFirst = [...state.incidents].reverse();
    const stamps = [...components.map((c) => c.updatedAt), ...state.incidents.map((i) => i.updatedAt)].sort();
    // An unresolved incident never sits under "All systems operational", even one naming no component.
    const floor: ComponentStatus = this.active().length > 0 ? 'degraded_performance' : 'operational';
    return {
      overall: worstComponentStatus([floor, ...components.map((component) => component.status)]),
      updatedAt: stamps.at(-1) ?? null,
      components,
      activeIncidents: newestFirst.filter((incident) => !incident.resolvedAt).map(publicIncident),
      resolvedIncidents: newestFirst.filter((incident) => incident.resolvedAt).map(publicIncident),
    };
  }

  // ---- bounds -----------------------------------------------------------------------------

  private remember(key: string, statusIncidentId: string | null): void {
    this.applied.set(key, statusIncidentId);
    this.trimApplied();
  }

  private trimApplied(): void {
    while (this.applied.size > BOUNDS.appliedKeys) this.applied.delete(this.applied.keys().next().value as string);
  }

  private setComponents(components: Record<string, ComponentStatus>, at: string): void {
    for (const [name, status] of Object.entries(components)) this.state.components[name] = { status, updatedAt: at };
  }

  private trimResolved(): void {
    const resolved = this.state.incidents.filter((incident) => incident.resolvedAt);
    for (const incident of resolved) keepUpdates(incident, BOUNDS.updatesPerResolvedIncident);
    const drop = new Set(resolved.slice(0, Math.max(0, resolved.length - BOUNDS.resolvedIncidents)));
    this.state.incidents = this.state.incidents.filter((incident) => !drop.has(incident));
  }

  private measure(): number {
    return utf8Bytes(JSON.stringify(this.state)) + utf8Bytes(JSON.stringify([...this.applied]));
  }

  /**
   * The backstop behind the caps: while the state is over its byte budget, drop what matters
   * least first (resolved incidents' older updates, then resolved incidents, then the older
   * updates of the unresolved incident holding most, then the oldest idempotency keys).
   */
  private keepWithinBudget(): void {
    while (this.measure() > BOUNDS.stateBytes) {
      const resolved = this.state.incidents.filter((incident) => incident.resolvedAt);
      const longResolved = resolved.find((incident) => incident.updates.length > 1);
      if (longResolved) {
        keepUpdates(longResolved, 1);
        continue;
      }
      if (resolved.length > 0) {
        this.state.incidents = this.state.incidents.filter((incident) => incident !== resolved[0]);
        continue;
      }
      const longest = this.active().sort((a, b) => b.updates.length - a.updates.length)[0];
      if (longest && longest.updates.length > 1) {
        keepUpdates(longest, Math.ceil(longest.updates.length / 2));
        continue;
      }
      if (this.applied.size > 100) {
        for (const key of [...this.applied.keys()].slice(0, Math.ceil(this.applied.size / 2))) this.applied.delete(key);
        continue;
      }
      return;
    }
  }
}

const activeBound = () =>
  refuse(
    `the status page already shows ${BOUNDS.activeIncidents} unresolved incidents (at most ${BOUNDS.activeIncidents}): ` +
      'resolve one, or post this as an update to an incident already open',
    CapabilityFailure.OutOfBounds,
  );

/** An incident as the public page shows it. */
function publicIncident(record: StatusPageIncidentRecord): StatusPageIncident {
  return {
    id: record.id,
    title: record.title,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    components: { ...record.components },
    updates: record.updates,
    earlierUpdates: record.earlierUpdates ?? 0,
  };
}
