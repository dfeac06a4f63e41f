/**
 * Who may do what, end to end: every route the app registers is classified (a right, or
 * public) as written below and as the rights table says; a route with no decorator refuses
 * everyone; and each role meets the table over HTTP.
 */
import { Controller, Get, type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory, Reflector } from '@nestjs/core';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../core/schemas/config';
import { localIntegrations } from '../../../core/schemas/integrations-config';
import { TEST_ACK_SECRET, TEST_API_KEYS, TEST_KEY_NAMES, TEST_KEYS, useTestFirebreak } from '../../../test/firebreak';
import { HttpClient } from '../../../test/http';
import { metricValue } from '../../../test/metrics';
import { testOperatorConfig } from '../../../test/operator';
import { runbookCatalog } from '../../../test/runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue } from '../../../test/temporal';
import { SnsSignatureVerifier } from '../src/alerts/signatures/sns-signature';
import { AppModule } from '../src/app.module';
import { createApiApp } from '../src/app';
import { ACCESS_KEY, type RouteAccess } from '../src/auth/access';
import { resolveApiKeys } from '../src/auth/api-keys';
import { DOCS_PATHS, docsAccess } from '../src/auth/docs-access';

/**
 * Every route and what reaches it: a right, `per-request:` the rights a route picks from by
 * request, `public` (`public:<right>` when the route checks a right with its own credential).
 * A new route must be added here, and to docs/rights.md.
 */
const EXPECTED: Record<string, string> = {
  'POST /v1/alerts': 'alerts.send',
  'POST /v1/alerts/alertmanager': 'alerts.send',
  'POST /v1/alerts/grafana': 'alerts.send',
  'POST /v1/alerts/sns': 'public:alerts.send',
  'POST /v1/alerts/pagerduty': 'public:alerts.send',
  'POST /v1/alerts/opsgenie': 'alerts.send',
  'POST /v1/alerts/opsgenie/:alias/close': 'alerts.send',
  'POST /v1/alerts/cloudevents': 'alerts.send',
  'POST /v1/heartbeats/:name': 'heartbeats.ping',
  'GET /v1/heartbeats': 'heartbeats.read',
  'GET /v1/heartbeats/:name': 'heartbeats.read',
  'GET /v1/incidents': 'incidents.read',
  'POST /v1/incidents': 'incident.declare',
  'GET /v1/incidents/:id': 'incidents.read',
  'GET /v1/incidents/:id/similar': 'incidents.read',
  'GET /v1/incidents/:id/timeline': 'incidents.read',
  'GET /v1/incidents/:id/events': 'incidents.read',
  'GET /v1/incidents/:id/postmortem': 'incidents.read',
  'POST /v1/incidents/:id/actions':
    'per-request:incident.acknowledge|incident.investigate|incident.escalate|incident.set-severity|incident.assign-role|incident.note|incident.post-status-update|incident.mitigate|incident.resolve|incident.close|incident.reopen',
  'GET /v1/runbooks': 'runbooks.read',
  'POST /v1/runbooks/:name/executions': 'per-request:runbook.launch|runbook.launch-destructive',
  'GET /v1/executions': 'runbooks.read',
  'GET /v1/executions/:id': 'runbooks.read',
  'POST /v1/executions/:id/approve': 'execution.approve',
  'POST /v1/executions/:id/reject': 'execution.approve',
  'POST /v1/executions/:id/cancel': 'execution.cancel',
  'GET /v1/oncall': 'oncall.read',
  'GET /v1/notifications': 'oncall.read',
  'GET /v1/schedules': 'oncall.read',
  'GET /v1/schedules/:id': 'oncall.read',
  'POST /v1/schedules/:id/overrides': 'schedule.override',
  'DELETE /v1/schedules/:id/overrides/:overrideId': 'schedule.override',
  'GET /v1/schedules/:id/calendar.ics': 'public:oncall.read',
  'GET /v1/ack/:token': 'public',
  'POST /v1/ack/:token': 'public',
  'POST /v1/webhooks/twilio/sms': 'public',
  'POST /v1/chat/slack/commands': 'public',
  'POST /v1/chat/slack/interactions': 'public',
  'POST /v1/session': 'public',
  'GET /v1/session': 'public',
  'DELETE /v1/session': 'public',
  'GET /v1/session/methods': 'public',
  'GET /v1/session/oidc': 'public',
  'GET /v1/session/oidc/callback': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /status': 'public',
  'GET /status.json': 'public',
  'GET /metrics': 'metrics.read',
  'GET /v1/webhooks': 'webhooks.manage',
  'GET /v1/webhooks/deliveries': 'webhooks.manage',
  'POST /v1/webhooks/deliveries/:id/retry': 'webhooks.manage',
  'GET /v1/reports/response': 'reports.read',
  'GET /v1/reports/runbooks': 'reports.read',
  'GET /v1/audit': 'audit.read',
};

/** A route no decorator classifies: the guard must refuse it. */
@Controller('test-only/undecorated')
class UndecoratedController {
  @Get()
  open() {
    return { open: true };
  }
}

const join = (...parts: string[]) => `/${parts.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

/** Every route of the app's controllers, with the access its decorators declare. */
function walkRoutes(app: INestApplication): Map<string, { access?: RouteAccess; controller: string }> {
  const reflector = app.get(Reflector);
  const routes = new Map<string, { access?: RouteAccess; controller: string }>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const access = reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, [handler, controller]);
        for (const path of [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat()) {
          routes.set(`${RequestMethod[method]} ${join(base, path)}`, { access, controller: controller.name });
        }
      }
    }
  }
  return routes;
}

/** The routes Express ended up with: the walk must have seen each. */
function expressRoutes(app: INestApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router;
  return router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`) : []));
}

/** The access as EXPECTED writes it. */
function written(access: RouteAccess): string {
  switch (access.kind) {
    case 'right':
      return access.right;
    case 'per-request':
      return `per-request:${access.rights.join('|')}`;
    case 'public':
      return access.checks ? `public:${access.checks}` : 'public';
  }
}

const config = (env: Record<string, string> = {}) =>
  loadConfig({
    API_KEYS: TEST_API_KEYS,
    TEMPORAL_ADDRESS: sharedTemporalAddress(),
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('rights'),
    LOG_LEVEL: 'error',
    ACK_SIGNING_SECRET: TEST_ACK_SECRET,
    ...env,
  });

/** The app's module with one more, undecorated, controller; no worker (nothing here reaches Temporal). */
async function appWithUndecoratedRoute(): Promise<{ app: INestApplication; http: HttpClient }> {
  const settings = config();
  const app = await NestFactory.create(
    {
      module: class RightsTestModule {},
      imports: [
        AppModule.forRoot({
          config: settings,
          apiKeys: resolveApiKeys(settings),
          operator: testOperatorConfig(),
          runbooks: runbookCatalog(),
          sns: { verifier: new SnsSignatureVerifier(), get: fetch },
          integrations: localIntegrations(),
        }),
      ],
      controllers: [UndecoratedController],
    },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  return { app, http: new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`) };
}

describe('the router, walked', () => {
  let app: INestApplication;
  let http: HttpClient;
  beforeAll(async () => ({ app, http } = await appWithUndecoratedRoute()));
  afterAll(() => app?.close());

  it('classifies every route as written here and as the rights table says', () => {
    const routes = walkRoutes(app);
    routes.delete('GET /test-only/undecorated');
    const wrong: string[] = [];
    for (const [route, { access, controller }] of routes) {
      const expected = EXPECTED[route];
      if (expected === undefined) wrong.push(`${route} (${controller}): not classified here`);
      else if (!access) wrong.push(`${route} (${controller}): declares neither @Requires nor @Public`);
      else if (written(access) !== expected) wrong.push(`${route}: ${written(access)}, expected ${expected}`);
    }
    for (const route of Object.keys(EXPECTED)) if (!routes.has(route)) wrong.push(`${route}: expected but not registered`);
    expect(wrong).toEqual([]);
    expect(routes.size).toBe(Object.keys(EXPECTED).length);
  });

  it('saw every route Express serves', () => {
    const walked = walkRoutes(app);
    expect(expressRoutes(app).filter((route) => !walked.has(route))).toEqual([]);
  });

  it('refuses a route that declares no right, with or without a key, and counts it', async () => {
    const anonymous = await http.get('/test-only/undecorated');
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.message).toBe('this route declares no right, so nobody may call it');
    expect((await http.as(TEST_KEYS.admin).get('/test-only/undecorated')).status).toBe(403);
    const scrape = (await http.as(TEST_KEYS.viewer).get('/metrics')).text;
    expect(metricValue(scrape, 'firebreak_auth_refusals_total{principal="none",status="403"}')).toBe(1);
    expect(metricValue(scrape, 'firebreak_auth_refusals_total{principal="unknown",status="403"}')).toBe(1);
  });
});

describe('rights over HTTP', () => {
  const e2e = useTestFirebreak();
  const as = (role: keyof typeof TEST_KEYS) => e2e.firebreak.as(role);
  const declare = async (title: string) => {
    const declared = await as('responder').post('/v1/incidents', { title, severity: 'SEV3' });
    expect(declared.status).toBe(201);
    return declared.body.id as string;
  };
  const act = (role: keyof typeof TEST_KEYS, id: string, action: Record<string, unknown>) => as(role).post(`/v1/incidents/${id}/actions`, action);

  it('lets a sender key send alerts and nothing else, not even reads', async () => {
    const sent = await as('sender').post('/v1/alerts', { source: 'rights-test', summary: 'Disk almost full', status: 'firing', labels: { service: 'rights' } });
    expect(sent.status).toBe(202);
    const id = sent.body.incidentId as string;
    const refused = [
      await as('sender').get('/v1/incidents'),
      await as('sender').get(`/v1/incidents/${id}`),
      await as('sender').post('/v1/incidents', { title: 'From a sender', severity: 'SEV3' }),
      await act('sender', id, { action: 'acknowledge' }),
      await as('sender').get('/v1/runbooks'),
      await as('sender').post('/v1/runbooks/service-health-check/executions', { input: { cluster: 'c', service: 's' }, dryRun: true }),
      await as('sender').get('/v1/oncall'),
      await as('sender').get('/v1/heartbeats'),
      await as('sender').get('/metrics'),
    ];
    expect(refused.map((answer) => answer.status)).toEqual(refused.map(() => 403));
    expect(refused[0].body.message).toBe(`read incidents, their timelines, events and postmortems needs the incidents.read right (viewer, responder, commander, admin); "${TEST_KEY_NAMES.sender}" is sender`);
    const scrape = (await as('viewer').get('/metrics')).text;
    expect(metricValue(scrape, `firebreak_auth_refusals_total{principal="${TEST_KEY_NAMES.sender}",status="403"}`)).toBeGreaterThanOrEqual(refused.length);
  });

  it('lets a responder act on an incident but not close it, reopen it or post to the status page; a commander may', async () => {
    const id = await declare('Checkout errors (rights)');
    expect((await act('responder', id, { action: 'acknowledge' })).status).toBe(200);
    expect((await act('responder', id, { action: 'add-note', text: 'looking' })).status).toBe(200);
    expect((await act('responder', id, { action: 'set-severity', severity: 'SEV2' })).status).toBe(200);
    const post = { action: 'post-status-update', message: 'We are looking into checkout errors.' };
    const refusedPost = await act('responder', id, post);
    expect(refusedPost.status).toBe(403);
    expect(refusedPost.body.message).toContain('incident.post-status-update right (commander, admin)');
    expect((await act('commander', id, post)).status).toBe(200);
    expect((await act('responder', id, { action: 'resolve' })).status).toBe(200);
    expect((await act('responder', id, { action: 'reopen', reason: 'errors are back' })).status).toBe(403);
    expect((await act('commander', id, { action: 'reopen', reason: 'errors are back' })).status).toBe(200);
    expect((await act('responder', id, { action: 'resolve' })).status).toBe(200);
    expect((await act('responder', id, { action: 'close' })).status).toBe(403);
    expect((await act('commander', id, { action: 'close' })).status).toBe(200);
  });

  it('answers a bad action body 400 to whoever may act, and 403 to a viewer', async () => {
    const id = await declare('Bad bodies (rights)');
    const bad = await act('responder', id, { action: 'explode' });
    expect(bad.status).toBe(400);
    expect((await act('viewer', id, { action: 'explode' })).status).toBe(403);
  });

  it('lets a viewer read, and only read', async () => {
    const id = await declare('Read only (rights)');
    for (const path of ['/v1/incidents', `/v1/incidents/${id}`, `/v1/incidents/${id}/timeline`, '/v1/runbooks', '/v1/executions', '/v1/oncall', '/v1/schedules', '/v1/heartbeats', '/metrics']) {
      expect({ path, status: (await as('viewer').get(path)).status }).toEqual({ path, status: 200 });
    }
    const writes = [
      await as('viewer').post('/v1/incidents', { title: 'From a viewer', severity: 'SEV3' }),
      await act('viewer', id, { action: 'acknowledge' }),
      await as('viewer').post('/v1/runbooks/service-health-check/executions', { input: { cluster: 'c', service: 's' }, dryRun: true }),
      await as('viewer').post('/v1/alerts', { source: 'rights-test', summary: 'From a viewer', status: 'firing', labels: {} }),
    ];
    expect(writes.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
  });

  it('lets a responder dry-run a destructive runbook but only a commander run it for real', async () => {
    const launch = (role: keyof typeof TEST_KEYS, dryRun: boolean) =>
      as(role).post('/v1/runbooks/scale-out-on-high-cpu/executions', { input: { cluster: 'rights', service: `rights-${role}`, waitMinutes: 0 }, dryRun });
    expect((await launch('responder', true)).status).toBe(201);
    const refused = await launch('responder', false);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('runbook.launch-destructive right (commander, admin)');
    expect((await launch('commander', false)).status).toBe(201);
    // Not destructive: a responder runs it.
    expect((await as('responder').post('/v1/runbooks/service-health-check/executions', { input: { cluster: 'c', service: 's' }, dryRun: true })).status).toBe(201);
  });

  it('leaves schedule overrides to admins', async () => {
    // The guard refuses before the schedule is looked up.
    const refused = await as('commander').post('/v1/schedules/any/overrides', { responder: 'nobody', from: new Date().toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('schedule.override right (admin)');
  });

  it('counts refusals for missing and unknown keys by bounded principal', async () => {
    const before = (await as('viewer').get('/metrics')).text;
    expect((await e2e.firebreak.http.get('/v1/incidents')).status).toBe(401);
    expect((await e2e.firebreak.http.as('not-a-key-of-this-firebreak-0123456789').get('/v1/incidents')).status).toBe(401);
    const after = (await as('viewer').get('/metrics')).text;
    for (const principal of ['none', 'unknown']) {
      const sample = `firebreak_auth_refusals_total{principal="${principal}",status="401"}`;
      expect(metricValue(after, sample) - metricValue(before, sample)).toBe(1);
    }
    expect(after).not.toContain('not-a-key');
  });

  it('states each operation\'s right and roles in the OpenAPI document', async () => {
    const document = (await as('viewer').get('/docs-json')).body;
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (typeof operation['x-firebreak-right'] !== 'string' || !Array.isArray(operation['x-firebreak-roles'])) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect(document.paths['/v1/alerts'].post).toMatchObject({ 'x-firebreak-right': 'alerts.send', 'x-firebreak-roles': ['sender', 'responder', 'commander', 'admin'] });
    expect(document.paths['/v1/incidents/{id}/actions'].post['x-firebreak-rights']).toEqual(expect.arrayContaining(['incident.close', 'incident.reopen']));
    expect(document.paths['/v1/incidents'].get.description).toContain('Needs the `incidents.read` right: viewer, responder, commander, admin.');
    expect(document.paths['/status'].get).toMatchObject({ 'x-firebreak-right': 'public', 'x-firebreak-roles': [] });
  });
});

describe('/metrics and the OpenAPI document', () => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const app of started) await app.close();
  });
  const api = async (env: Record<string, string>) => {
    const app = await createApiApp(config(env), { operator: testOperatorConfig(), runbooks: runbookCatalog() });
    started.push(app);
    await app.listen(0, '127.0.0.1');
    return { app, http: new HttpClient(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`) };
  };

  it('needs a viewer key for /metrics, unless PUBLIC_METRICS=true', async () => {
    const closed = await api({});
    expect((await closed.http.get('/metrics')).status).toBe(401);
    expect((await closed.http.as(TEST_KEYS.sender).get('/metrics')).status).toBe(403);
    expect((await closed.http.as(TEST_KEYS.viewer).get('/metrics')).status).toBe(200);
    const open = await api({ PUBLIC_METRICS: 'true' });
    expect((await open.http.get('/metrics')).status).toBe(200);
  });

  it('needs a viewer key for the OpenAPI page and document, unless PUBLIC_DOCS=true', async () => {
    // The document is served outside Nest's router: docsAccess guards it, as app.ts mounts it.
    const mounted = async (env: Record<string, string>) => {
      const { app } = await api(env);
      const server = express();
      server.use(DOCS_PATHS, docsAccess(app));
      server.get(['/docs', '/docs-json'], (_request, response) => void response.json({ served: true }));
      const listening = server.listen(0, '127.0.0.1');
      started.push({ close: () => new Promise<void>((resolve) => listening.close(() => resolve())) });
      await new Promise((resolve) => listening.once('listening', resolve));
      return new HttpClient(`http://127.0.0.1:${(listening.address() as AddressInfo).port}`);
    };
    const closed = await mounted({});
    const refused = await closed.get('/docs-json');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await closed.get('/docs')).status).toBe(401);
    expect((await closed.as(TEST_KEYS.sender).get('/docs-json')).status).toBe(403);
    expect((await closed.as(TEST_KEYS.viewer).get('/docs-json')).body).toEqual({ served: true });
    const open = await mounted({ PUBLIC_DOCS: 'true' });
    expect((await open.get('/docs-json')).body).toEqual({ served: true });
  });
});
