/**
 * Atlassian Statuspage's REST API v1 as the Statuspage adapter uses it
 * (developer.statuspage.io): incidents (search, create, read, update) and components,
 * under `/v1/pages/{page_id}`, with `Authorization: OAuth <api key>`.
 */
import { type StubRequest, StubRejection, StubServer } from './stub-server';

export const STATUSPAGE_KEY = 'statuspage-key-0123456789';
export const STATUSPAGE_PAGE = 'page123';

/** The settings that point the Statuspage adapter at a stub at `url`. */
export const statuspageSettings = (url: string) => ({
  STATUSPAGE_PROVIDER: 'statuspage',
  STATUSPAGE_API_KEY: STATUSPAGE_KEY,
  STATUSPAGE_PAGE_ID: STATUSPAGE_PAGE,
  STATUSPAGE_API_URL: `${url}/v1`,
});

export interface StatuspageIncidentRecord {
  id: string;
  name: string;
  status: string;
  shortlink: string;
  metadata: Record<string, Record<string, unknown>>;
  components: Array<{ id: string; status: string }>;
  incident_updates: Array<{ status: string; body: string }>;
}

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

export async function startStatuspageStub(componentNames: string[] = ['API', 'Checkout']) {
  const incidents: StatuspageIncidentRecord[] = [];
  const components = componentNames.map((name, i) => ({ id: `cmp${i + 1}`, name, status: 'operational' }));
  const stub = new StubServer({
    vendor: 'Statuspage',
    authorize: (request) => request.headers.authorization === `OAuth ${STATUSPAGE_KEY}` && request.params.page === STATUSPAGE_PAGE,
    unauthorized: { status: 401, body: { error: 'Could not authenticate' } },
  });
  const incident = ({ params }: StubRequest) => {
    const found = incidents.find((i) => i.id === params.id);
    if (!found) throw new StubRejection({ status: 404, body: { error: 'Incident not found' } });
    return found;
  };
  const applyComponents = (target: StatuspageIncidentRecord, given: unknown) => {
    for (const [id, status] of Object.entries((given ?? {}) as Record<string, string>)) {
      const component = components.find((c) => c.id === id);
      if (!component || !COMPONENT_STATUSES.includes(status)) throw new StubRejection({ status: 422, body: { error: [`component ${id} or status ${status} is invalid`] } });
      component.status = status;
      target.components = [...target.components.filter((c) => c.id !== id), { id, status }];
    }
  };
  const valid = (incidentBody: any) => {
    if (incidentBody?.status !== undefined && !STATUSES.includes(incidentBody.status)) throw new StubRejection({ status: 422, body: { error: ['Status is not included in the list'] } });
  };

  stub
    .route('listIncidents', 'GET', '/v1/pages/:page/incidents', ({ query }) => {
      const q = (query.get('q') ?? '').toLowerCase();
      const limit = Number(query.get('limit') ?? 100);
      const matching = incidents.filter((i) => !q || i.name.toLowerCase().includes(q) || i.incident_updates.some((u) => u.body.toLowerCase().includes(q)));
      return { body: [...matching].reverse().slice(0, limit) };
    })
    .route('createIncident', 'POST', '/v1/pages/:page/incidents', ({ body }) => {
      const given = body?.incident;
      if (!given?.name) throw new StubRejection({ status: 422, body: { error: ["Name can't be blank"] } });
      valid(given);
      const created: StatuspageIncidentRecord = {
        id: `inc${incidents.length + 1}`,
        name: given.name,
        status: given.status ?? 'investigating',
        shortlink: `https://stspg.example/${incidents.length + 1}`,
        metadata: given.metadata ?? {},
        components: [],
        incident_updates: [{ status: given.status ?? 'investigating', body: given.body ?? '' }],
      };
      applyComponents(created, given.components);
      incidents.push(created);
      stub.effect('incident.create');
      return { status: 201, body: created };
    })
    .route('getIncident', 'GET', '/v1/pages/:page/incidents/:id', (request) => ({ body: incident(request) }))
    .route('updateIncident', 'PATCH', '/v1/pages/:page/incidents/:id', (request) => {
      const target = incident(request);
      const given = request.body?.incident ?? {};
      valid(given);
      if (given.status) target.status = given.status;
      if (given.metadata) target.metadata = given.metadata;
      applyComponents(target, given.components);
      if (given.body || given.status) target.incident_updates.unshift({ status: target.status, body: given.body ?? '' });
      stub.effect('incident.update');
      return { body: target };
    })
    .route('listComponents', 'GET', '/v1/pages/:page/components', () => ({ body: components }))
    .route('updateComponent', 'PATCH', '/v1/pages/:page/components/:id', ({ params, body }) => {
      const component = components.find((c) => c.id === params.id);
      if (!component) throw new StubRejection({ status: 404, body: { error: 'Component not found' } });
      if (!COMPONENT_STATUSES.includes(body?.component?.status)) throw new StubRejection({ status: 422, body: { error: ['Status is invalid'] } });
      component.status = body.component.status;
      stub.effect('component.update');
      return { body: component };
    });
  await stub.start();
  return { stub, incidents, components };
}
