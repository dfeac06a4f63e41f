import { ApplicationFailure } from '@temporalio/common';
import { CapabilityFailure } from '../../core/schemas/capabilities/common';
import type { ComponentStatus, StatusIncident } from '../../core/schemas/capabilities/status-page';
import type { StatuspageSettings } from '../../core/schemas/integrations-config';
import type {
  OpenStatusIncidentCommand,
  SetComponentStatusCommand,
  UpdateStatusIncidentCommand,
} from '../../core/model/status-page-messages';
import { VendorHttp } from '../vendor-http';
import type { StatusPagePort } from './port';

/** Atlassian Statuspage's REST API (`Authorization: OAuth <key>`). */
export function createStatuspageApi(settings: StatuspageSettings, timeoutMs: number): VendorHttp {
  const key = settings.apiKey.reveal();
  return new VendorHttp({
    vendor: 'Statuspage',
    baseUrl: settings.apiUrl,
    timeoutMs,
    secrets: [key],
    headers: () => ({ authorization: `OAuth ${key}` }),
  });
}

/** Statuspage incident metadata is an object of objects; Firebreak keeps its own under this key. */
interface FirebreakMetadata {
  idempotency_key?: string;
  incident_id?: string;
  /** The idempotency key of the last update applied. */
  last_update?: string;
}

interface StatuspageIncident {
  id: string;
  name: string;
  shortlink?: string;
  metadata?: { firebreak?: FirebreakMetadata };
}

/**
 * Atlassian Statuspage. Incidents carry the step's idempotency key in their metadata
 * (`metadata.firebreak.idempotency_key`); before creating, incidents matching the title are
 * searched for it. Each update records its key in `metadata.firebreak.last_update`, read
 * before updating, so a repeated update posts nothing; component statuses are idempotent.
 * Components are named as on the page and resolved to ids.
 */
export class StatuspageStatusPage implements StatusPagePort {
  constructor(
    private readonly api: VendorHttp,
    private readonly pageId: string,
  ) {}

  async openIncident(command: OpenStatusIncidentCommand): Promise<StatusIncident> {
    const found = await this.api.request<StatuspageIncident[]>('search incidents', this.path('/incidents'), {
      query: { q: command.title, limit: 100 },
    });
    const existing = found.find((incident) => incident.metadata?.firebreak?.idempotency_key === command.idempotencyKey);
    if (existing) return { id: existing.id, url: existing.shortlink, created: false };
    const components = await this.componentIds(command.components);
    const created = await this.api.request<StatuspageIncident>('create incident', this.path('/incidents'), {
      method: 'POST',
      body: {
        incident: {
          name: command.title,
          status: command.status,
          body: command.message,
          component_ids: Object.keys(components),
          components,
          metadata: { firebreak: { idempotency_key: command.idempotencyKey, incident_id: command.incidentId } },
        },
      },
    });
    return { id: created.id, url: created.shortlink, created: true };
  }

  async updateIncident(command: UpdateStatusIncidentCommand): Promise<void> {
    const incident = this.path(`/incidents/${encodeURIComponent(command.statusIncidentId)}`);
    const current = await this.api.request<StatuspageIncident>('read incident', incident);
    const firebreak = current.metadata?.firebreak ?? {};
    if (firebreak.last_update === command.idempotencyKey) return;
    const components = await this.componentIds(command.components);
    await this.api.request('update incident', incident, {
      method: 'PATCH',
      body: {
        incident: {
          status: command.status,
          body: command.message,
          ...(Object.keys(components).length > 0 ? { component_ids: Object.keys(components), components } : {}),
          metadata: { ...current.metadata, firebreak: { ...firebreak, last_update: command.idempotencyKey } },
        },
      },
    });
  }

  async setComponentStatus({ component, status }: SetComponentStatusCommand): Promise<void> {
    const [id] = Object.keys(await this.componentIds({ [component]: status }));
    await this.api.request('update component', this.path(`/components/${encodeURIComponent(id)}`), {
      method: 'PATCH',
      body: { component: { status } },
    });
  }

  /** Component statuses by id, from statuses by name. */
  private async componentIds(byName: Record<string, ComponentStatus>): Promise<Record<string, ComponentStatus>> {
    const names = Object.keys(byName);
    if (names.length === 0) return {};
    const all = await this.api.request<Array<{ id: string; name: string }>>('list components', this.path('/components'), {
      query: { per_page: 100 },
    });
    const unknown = names.filter((name) => !all.some((component) => component.name === name));
    if (unknown.length > 0) {
      throw ApplicationFailure.nonRetryable(
        `Statuspage page ${this.pageId} has no component named ${unknown.map((name) => `"${name}"`).join(', ')}`,
        CapabilityFailure.Rejected,
      );
    }
    return Object.fromEntries(names.map((name) => [all.find((component) => component.name === name)!.id, byName[name]]));
  }

  private path(suffix: string): string {
    return `/pages/${encodeURIComponent(this.pageId)}${suffix}`;
  }
}
