/**
 * Every shipped runbook, launched through the API with maximum-size valid input generated
 * from its own input schema (`GET /v1/runbooks`), runs to a good end on a real Temporal
 * server: completed (approved by a second principal where a run asks), no step failed on
 * length or markup; a run that waits in workflow time (scaling back in) is good once it waits
 * with every step done, and undoes its steps when cancelled. On the built-in deploy adapter
 * no release is known, so rollback-bad-deploy pages a human before any approval. On the built-in adapters for all five, and on the Slack, Zoom, Jira,
 * PagerDuty and Statuspage adapters against their stubs (which refuse what the vendors
 * refuse) for the two that reach those vendors.
 *
 * Strings the schemas leave unbounded are generated up to {@link UNBOUNDED_LENGTH} code
 * points (and the 64 KiB step text bound in bytes); arrays and records without a bound
 * get {@link UNBOUNDED_ENTRIES} entries.
 */
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import fc from 'fast-check';
import { createApiApp } from '../../apps/api/src/app';
import { createFirebreakWorker } from '../../apps/worker/src/worker';
import { STEP_TEXT_MAX_BYTES } from '../../core/schemas/capabilities/common';
import { loadConfig } from '../../core/schemas/config';
import { type ExecutionSnapshot, guardWorkflowId } from '../../core/model/execution';
import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import type { RunbookDefinition } from '../../core/model/runbook';
import { fitStatusText, publicStatusTitle, STATUS_PAGE_BOUNDS } from '../../core/model/status-page-bounds';
import { utf8Bytes } from '../../core/model/text';
import { TEST_KEYS, useTestFirebreak } from '../firebreak';
import { HttpClient } from '../http';
import { testOperatorConfig } from '../operator';
import { runbookCatalog } from '../runbooks/catalog';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from '../temporal';
import { jiraSettings, startJiraStub } from '../vendors/jira';
import { pagerDutySettings, startPagerDutyStub } from '../vendors/pagerduty';
import { slackSettings, startSlackStub } from '../vendors/slack';
import { startStatuspageStub, statuspageSettings } from '../vendors/statuspage';
import { startZoomStub, zoomSettings } from '../vendors/zoom';
import { codePoints, type JsonSchema, maxSizeArbitrary, type MaxSizeOptions } from './json-schema-arbitrary';

/** Strings without a `maxLength`: a few KB, far past any realistic title, service or id. */
const UNBOUNDED_LENGTH = 4_096;
/** Arrays and records without a bound: more responders, targets and components than a real incident has. */
const UNBOUNDED_ENTRIES = 20;
const RUNS = 6;
/** fast-check stops shrinking a failure after this long, so a failing run stays bounded. */
const PROPERTY_TIME_LIMIT_MS = 45_000;
/** Each property's jest timeout: its runs, and shrinking a failure up to the limit above. */
const TEST_TIMEOUT_MS = 90_000;
const OPENED_BY_INCIDENT = 'Checkout is slow';
const FINISHED = ['completed', 'failed', 'cancelled', 'joined', 'over-budget'];
/** Who approves a run the commander key launched (four eyes): never the launcher, each principal once. */
const APPROVER_KEYS = [TEST_KEYS.admin, TEST_KEYS.responder];
/** Destructive runbooks may require two approvers; the property runs have two principals to give them. */
const TWO_APPROVERS_AT_MOST: MaxSizeOptions = { overrides: { requiredApprovals: fc.constantFrom(1, 2) } };

type Execution = ExecutionSnapshot & { steps: Array<ExecutionSnapshot['steps'][number] & { attempts?: number }> };

/** Generation bounds for every runbook input: the fallbacks above, and the step text bound in bytes. */
const GENERATION: MaxSizeOptions = { unboundedLength: UNBOUNDED_LENGTH, unboundedItems: UNBOUNDED_ENTRIES, unboundedProperties: UNBOUNDED_ENTRIES, maxBytes: STEP_TEXT_MAX_BYTES };

/**
 * The status page's components: a page has a fixed set, and a status update names some of
 * them (Statuspage refuses other names; Firebreak's page refuses new names past its bound).
 * Odd names by hand, the rest generated once, each at most half the page's name bound in
 * code points, so within it in UTF-16 units (which the page counts) whatever it holds.
 * Names over the bound, and more than 20 per command, are refused at launch (cases below).
 */
const PAGE_COMPONENT_NAMES = [
  'API',
  'Zahlungsabwicklung · 決済 · 💳 <EU> & *_{[|',
  Array.from(`constructor ${'é中😀'.repeat(30)}`).slice(0, STATUS_PAGE_BOUNDS.componentNameLength / 2).join(''),
  '__proto__',
];
PAGE_COMPONENT_NAMES.push(
  ...fc
    .sample(maxSizeArbitrary({ type: 'string', minLength: 1, maxLength: STATUS_PAGE_BOUNDS.componentNameLength / 2 }), { numRuns: 200, seed: 7 })
    .map(String)
    .filter((name, index, all) => !PAGE_COMPONENT_NAMES.includes(name) && all.indexOf(name) === index)
    .slice(0, STATUS_PAGE_BOUNDS.componentsPerCommand - PAGE_COMPONENT_NAMES.length),
);
const PAGE_COMPONENTS: MaxSizeOptions = {
  unboundedProperties: PAGE_COMPONENT_NAMES.length,
  overrides: { 'components.keys': fc.constantFrom(...PAGE_COMPONENT_NAMES) },
};

/** Temporal's longest workflow id, in bytes (the server's default `limit.maxIDLength`). */
const TEMPORAL_ID_MAX_BYTES = 1_000;

/** The API of one Firebreak, as the property runs use it. */
class Driver {
  constructor(
    readonly http: HttpClient,
    private readonly catalog: Map<string, JsonSchema>,
  ) {}

  get responder() {
    return this.http.as(TEST_KEYS.responder);
  }

  /** Launches runbooks (destructive ones too) and posts to the status page: a commander's rights. */
  get commander() {
    return this.http.as(TEST_KEYS.commander);
  }

  static async connect(http: HttpClient): Promise<Driver> {
    const listed = await http.as(TEST_KEYS.viewer).get('/v1/runbooks');
    expect(listed.status).toBe(200);
    const schemas = new Map<string, JsonSchema>(listed.body.runbooks.map((runbook: { id: string; inputSchema: JsonSchema }) => [runbook.id, runbook.inputSchema]));
    return new Driver(http, schemas);
  }

  /** Inputs for `runbook` from the schema the API publishes, kept to what its zod schema accepts (cross-field rules). */
  inputs(runbook: RunbookDefinition, options: MaxSizeOptions = {}): fc.Arbitrary<Record<string, unknown>> {
    const schema = this.catalog.get(runbook.id);
    if (!schema) throw new Error(`the API does not list ${runbook.id}`);
    return maxSizeArbitrary(schema, { ...GENERATION, ...options, overrides: { ...GENERATION.overrides, ...options.overrides } })
      .map((input) => input as Record<string, unknown>)
      .filter((input) => runbook.input.safeParse(input).success);
  }

  async declare(severity: string): Promise<string> {
    const declared = await this.responder.post('/v1/incidents', { title: 'Maximum-size runbook input', severity, service: 'checkout' });
    expect(declared.status).toBe(201);
    return declared.body.id as string;
  }

  /** Opens the incident's status incident the way responders do, so a runbook run updates it. */
  async openStatusIncident(incidentId: string): Promise<string> {
    const acted = await this.commander.post(`/v1/incidents/${incidentId}/actions`, {
      action: 'post-status-update',
      title: OPENED_BY_INCIDENT,
      message: 'We are looking into it.',
    });
    expect(acted.status).toBe(200);
    const incident = await this.http.as(TEST_KEYS.viewer).get(`/v1/incidents/${incidentId}`);
    return incident.body.statusPage.statusIncidentId as string;
  }

  async execution(id: string): Promise<Execution> {
    const read = await this.http.as(TEST_KEYS.viewer).get(`/v1/executions/${id}`);
    expect(read.status).toBe(200);
    return read.body as Execution;
  }

  /** Launches, approves as another principal when asked, and waits (bounded) for the end. */
  async run(runbookId: string, input: Record<string, unknown>, incidentId?: string): Promise<Execution> {
    const launched = await this.commander.post(`/v1/runbooks/${runbookId}/executions`, { input, ...(incidentId ? { incidentId } : {}) });
    if (launched.status !== 201) throw new Error(`launch of ${runbookId} answered ${launched.status}: ${launched.text.slice(0, 500)}`);
    return this.wait(launched.body.id as string);
  }

  /** Approvals given per execution, so each comes from another principal. */
  private readonly approvals = new Map<string, number>();

  /**
   * Approves a run that waits for it, as a principal other than the launcher (the commander
   * key) and other than those who approved it already: the admin key, then the responder key
   * when a run requires two.
   */
  async approveIfAsked(execution: Execution): Promise<void> {
    const given = this.approvals.get(execution.id) ?? 0;
    if (execution.status !== 'waiting-approval' || given >= APPROVER_KEYS.length) return;
    const decision = await this.http.as(APPROVER_KEYS[given]).post(`/v1/executions/${execution.id}/approve`, { comment: 'approved by the property test' });
    // 409: the run went on between the read and the decision.
    expect([200, 409]).toContain(decision.status);
    this.approvals.set(execution.id, given + 1);
  }

  /** Waits (bounded) for execution `id` to end, approving as other principals when it asks. */
  async wait(id: string, timeoutMs = 30_000): Promise<Execution> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const execution = await this.execution(id);
      if (FINISHED.includes(execution.status)) return execution;
      await this.approveIfAsked(execution);
      if (Date.now() > until) throw new Error(`execution ${id} did not finish within ${timeoutMs} ms: ${execution.status}${await pendingFailures(id)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The execution completed and no step failed (a failure names the step and its error). */
function expectCompleted(execution: Execution): void {
  const failed = execution.steps.filter((step) => step.status !== 'completed');
  if (execution.status !== 'completed' || failed.length > 0) {
    throw new Error(
      `${execution.runbookId} ended ${execution.status}: ${execution.outcome?.error ?? ''} ` +
        JSON.stringify(failed.map(({ name, status, error }) => ({ name, status, error: error?.slice(0, 500) }))),
    );
  }
}

/** The status incident `id` on the local public page has the fitted title and message, within the page's bounds. */
async function expectOnPublicPage(http: HttpClient, id: string, title: string, message: string): Promise<void> {
  const page = await http.get('/status.json');
  expect(page.status).toBe(200);
  const shown = [...page.body.activeIncidents, ...page.body.resolvedIncidents].find((incident: { id: string }) => incident.id === id);
  expect(shown).toBeDefined();
  expect(shown.title).toBe(fitStatusText(title, STATUS_PAGE_BOUNDS.titleBytes));
  expect(utf8Bytes(shown.title)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.titleBytes);
  expect(shown.updates[0].message).toBe(fitStatusText(message, STATUS_PAGE_BOUNDS.messageBytes));
  expect(utf8Bytes(shown.updates[0].message)).toBeLessThanOrEqual(STATUS_PAGE_BOUNDS.messageBytes);
  expect(JSON.stringify(page.body)).not.toContain('inc-');
}

const property = <T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>) =>
  fc.assert(fc.asyncProperty(arbitrary, check), { numRuns: RUNS, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, markInterruptAsFailure: false });

const runbook = (id: string): RunbookDefinition => {
  const found = runbookCatalog().get(id);
  if (!found) throw new Error(`no runbook ${id}`);
  return found;
};
const severity = fc.constantFrom('SEV0', 'SEV1', 'SEV2', 'SEV3', 'SEV4');
/**
 * Budgets and single flight work per guardrail (one per runbook and target). A run on a
 * guardrail used before may be held back, and so may any run once the runbook's global
 * budget (across its targets) is spent.
 */
const guardsSeen = new Set<string>();
function expectCompletedOrHeldBack(execution: Execution, guarded: RunbookDefinition, input: Record<string, unknown>): void {
  const guard = guardWorkflowId(guarded.id, guarded.guardrails!.target(guarded.input.parse(input)));
  const repeated = guardsSeen.has(guard);
  guardsSeen.add(guard);
  if (repeated && ['over-budget', 'joined'].includes(execution.status)) return;
  const globalSpent = execution.log.some((line) => line.message.includes(`budget spent for all targets of ${guarded.id}`));
  if (globalSpent && execution.status === 'over-budget') return;
  expectCompleted(execution);
}

/** A Firebreak on the built-in adapters for one describe block, and a driver of its API. */
function useLocalDriver(): { driver: Driver; http: HttpClient } {
  const e2e = useTestFirebreak({ operator: testOperatorConfig(), env: { STATUS_CACHE_MS: '0' } });
  const started = {} as { driver: Driver; http: HttpClient };
  beforeAll(async () => {
    started.http = e2e.firebreak.http;
    started.driver = await Driver.connect(e2e.firebreak.http);
  });
  return started;
}

describe('shipped runbooks with maximum-size valid input, on the built-in adapters', () => {
  // Each status page runbook gets a Firebreak, so a status page, of its own: the page's own
  // bounds (unresolved incidents, distinct components) are then the runbook's alone.
  describe('major-incident-kickoff', () => {
    const local = useLocalDriver();

    it('major-incident-kickoff completes, its status incident fitted to the public page', async () => {
      const kickoff = runbook('major-incident-kickoff');
      await property(fc.record({ input: local.driver.inputs(kickoff, PAGE_COMPONENTS), severity, onIncident: fc.boolean() }), async ({ input, severity, onIncident }) => {
        const execution = await local.driver.run(kickoff.id, input, onIncident ? await local.driver.declare(severity) : undefined);
        expectCompleted(execution);
        const result = execution.outcome?.result as { statusIncident: string };
        const service = input.service as string;
        await expectOnPublicPage(local.http, result.statusIncident, (input.publicTitle as string | undefined) ?? publicStatusTitle(service), `We are investigating problems with ${service}.`);
      });
    }, TEST_TIMEOUT_MS);
  });

  describe('status-page-update', () => {
    const local = useLocalDriver();

    it('status-page-update opens a status incident, or updates the one its incident opened, fitted to the public page', async () => {
      const update = runbook('status-page-update');
      const inputs = local.driver.inputs(update, PAGE_COMPONENTS);
      await property(fc.record({ input: inputs, onIncident: fc.boolean(), openedFirst: fc.boolean(), severity }), async ({ input, onIncident, openedFirst, severity }) => {
        const incidentId = onIncident ? await local.driver.declare(severity) : undefined;
        const existing = incidentId && openedFirst ? await local.driver.openStatusIncident(incidentId) : undefined;
        const execution = await local.driver.run(update.id, input, incidentId);
        expectCompleted(execution);
        expect(execution.steps.map((step) => step.name)).toEqual([existing ? 'statusPage.updateIncident' : 'statusPage.openIncident']);
        const { statusIncidentId, message } = execution.outcome?.result as { statusIncidentId: string; message: string };
        const title = existing ? OPENED_BY_INCIDENT : ((input.title as string | undefined) ?? publicStatusTitle(input.service as string));
        await expectOnPublicPage(local.http, statusIncidentId, title, message);
      });
    }, TEST_TIMEOUT_MS);

    describe('input a step could not take is refused at launch, naming the field', () => {
      const refusedAtLaunch = async (runbookId: string, input: Record<string, unknown>, field: string) => {
        const launched = await local.driver.commander.post(`/v1/runbooks/${runbookId}/executions`, { input });
        expect(launched.status).toBe(400);
        expect(JSON.stringify(launched.body)).toContain(field);
      };

      it('a public title of blanks (status-page-update title, kickoff publicTitle)', async () => {
        await refusedAtLaunch('status-page-update', { stage: 'investigating', service: 'checkout', title: ' ' }, 'title');
        await refusedAtLaunch('major-incident-kickoff', { title: 'Checkout down', service: 'checkout', publicTitle: ' \t ' }, 'publicTitle');
      });

      it('a component name over the page\'s 100 UTF-16 units, however it is counted', async () => {
        await refusedAtLaunch('status-page-update', { stage: 'investigating', service: 'checkout', components: { ['😀'.repeat(100)]: 'major_outage' } }, 'components');
        await refusedAtLaunch('status-page-update', { stage: 'investigating', service: 'checkout', components: { ['c'.repeat(101)]: 'major_outage' } }, 'components');
      });

      it('more than 20 components', async () => {
        const components = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`component-${index}`, 'major_outage']));
        await refusedAtLaunch('status-page-update', { stage: 'investigating', service: 'checkout', components }, 'components');
      });
    });
  });

  describe('the deploy, scaling and health runbooks', () => {
    const local = useLocalDriver();

    it('rollback-bad-deploy completes (no release is known to the built-in adapter: it pages a human)', async () => {
      const rollback = runbook('rollback-bad-deploy');
      await property(fc.record({ input: local.driver.inputs(rollback, TWO_APPROVERS_AT_MOST), severity, onIncident: fc.boolean() }), async ({ input, severity, onIncident }) => {
        const execution = await local.driver.run(rollback.id, input, onIncident ? await local.driver.declare(severity) : undefined);
        expectCompletedOrHeldBack(execution, rollback, input);
        if (execution.status === 'completed') expect(execution.steps.map((step) => step.name)).toEqual(['deploy.findReleases', 'paging.page']);
      });
    }, TEST_TIMEOUT_MS);

    it('scale-out-on-high-cpu completes, or waits in workflow time once scaled and undoes its scaling when cancelled', async () => {
      const scale = runbook('scale-out-on-high-cpu');
      const inputs = local.driver.inputs(scale, TWO_APPROVERS_AT_MOST);
      await property(fc.record({ input: inputs, severity, onIncident: fc.boolean() }), async ({ input, severity, onIncident }) => {
        const incidentId = onIncident ? await local.driver.declare(severity) : undefined;
        const launched = await local.driver.commander.post(`/v1/runbooks/${scale.id}/executions`, { input, ...(incidentId ? { incidentId } : {}) });
        expect(launched.status).toBe(201);
        const id = launched.body.id as string;
        // Verifying the alert resolves and scaling back in wait minutes of workflow time: a run
        // is good once it waits there, every step done (sleeps and waits record no step).
        const settled = await waitUntil(id, `execution ${id} to scale and wait, or end`, async () => {
          const execution = await local.driver.execution(id);
          // A run asked to wait for approval (requireApproval) gets it from other principals.
          await local.driver.approveIfAsked(execution);
          const scaled = execution.steps.some((step) => step.name === 'scaling.scaleService') && execution.steps.every((step) => step.status === 'completed');
          return FINISHED.includes(execution.status) || (execution.status === 'running' && scaled) ? execution : undefined;
        });
        if (!FINISHED.includes(settled.status)) {
          const cancel = await local.driver.responder.post(`/v1/executions/${id}/cancel`, {});
          expect([202, 409]).toContain(cancel.status);
        }
        const ended = await local.driver.wait(id);
        if (ended.status !== 'cancelled') return expectCompletedOrHeldBack(ended, scale, input);
        expect(ended.steps.filter((step) => step.compensates).map((step) => [step.name, step.status])).toEqual([['scaling.scaleService', 'completed']]);
        expect(ended.steps.every((step) => step.status === 'completed')).toBe(true);
      });
    }, TEST_TIMEOUT_MS);

  });

  // A Firebreak of their own: the runs above may have spent rollback-bad-deploy's global budget.
  describe('guardrails of odd targets', () => {
    const local = useLocalDriver();

    it('keeps distinct services on distinct guardrails even where their names sanitise alike (rollback-bad-deploy: "Ω1", then "Ж1")', async () => {
      const first = await local.driver.run('rollback-bad-deploy', { service: 'Ω1', scope: 'acme/shop' });
      const second = await local.driver.run('rollback-bad-deploy', { service: 'Ж1', scope: 'acme/shop' });
      expect([first.status, second.status]).toEqual(['completed', 'completed']);
    });

    it('runs a service whose name alone passes Temporal\'s workflow id limit (rollback-bad-deploy)', async () => {
      const input = { service: 'x'.repeat(TEMPORAL_ID_MAX_BYTES), scope: 'acme/shop' };
      expect(runbook('rollback-bad-deploy').input.safeParse(input).success).toBe(true);
      const launched = await local.driver.commander.post('/v1/runbooks/rollback-bad-deploy/executions', { input });
      if (launched.status === 400) return;
      const id = launched.body.id as string;
      try {
        expectCompleted(await local.driver.wait(id, 5_000));
      } finally {
        await local.driver.responder.post(`/v1/executions/${id}/cancel`, {});
      }
    });

    it('service-health-check completes and notes its findings on the incident', async () => {
      const health = runbook('service-health-check');
      await property(fc.record({ input: local.driver.inputs(health), severity, onIncident: fc.boolean() }), async ({ input, severity, onIncident }) => {
        const execution = await local.driver.run(health.id, input, onIncident ? await local.driver.declare(severity) : undefined);
        expectCompleted(execution);
        expect(execution.steps.map((step) => step.name)).toEqual(['scaling.describeService', 'monitoring.listAlarms']);
      });
    }, TEST_TIMEOUT_MS);
  });
});

/** What the run's pending activities last failed with: why a run that should have ended has not. */
async function pendingFailures(workflowId: string): Promise<string> {
  const connection = await Connection.connect({ address: sharedTemporalAddress() });
  try {
    const { raw } = await new Client({ connection }).workflow.getHandle(workflowId).describe();
    const pending = (raw.pendingActivities ?? []).map((activity) => `${activity.activityType?.name} attempt ${activity.attempt}: ${activity.lastFailure?.message ?? 'no failure yet'}`);
    return pending.length > 0 ? `; pending ${pending.join('; ')}` : '';
  } finally {
    await connection.close();
  }
}

/** Waits (bounded) until `check` gives a value; on timeout, says what execution `id` is stuck on. */
async function waitUntil<T>(id: string, what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${await pendingFailures(id)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Firebreak whose worker uses the adapters `integrations` configures, with the API in front. */
async function startWithIntegrations(integrations: Record<string, string>) {
  const taskQueue = uniqueTaskQueue('properties');
  const env = { API_KEYS: `ops:admin:${TEST_KEYS.admin},alertmanager:responder:${TEST_KEYS.responder},incident-lead:commander:${TEST_KEYS.commander},dashboard:viewer:${TEST_KEYS.viewer}`, TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'error', VIDEO_ROOM_SECRET: 'property-spec-room-secret', ...integrations };
  const config = loadConfig(env);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createFirebreakWorker({ config, connection, workflowBundle: workflowBundle(), integrations: loadIntegrationsConfig(env) });
  const running = worker.run();
  const app: INestApplication = await createApiApp(config, { operator: testOperatorConfig(), runbooks: runbookCatalog() });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    http: new HttpClient(`http://127.0.0.1:${port}`),
    async stop() {
      await app.close();
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

describe('shipped runbooks with maximum-size valid input, on the vendor adapters against their stubs', () => {
  let stubs: {
    slack: Awaited<ReturnType<typeof startSlackStub>>;
    zoom: Awaited<ReturnType<typeof startZoomStub>>;
    jira: Awaited<ReturnType<typeof startJiraStub>>;
    pagerDuty: Awaited<ReturnType<typeof startPagerDutyStub>>;
    statuspage: Awaited<ReturnType<typeof startStatuspageStub>>;
  };
  let firebreak: Awaited<ReturnType<typeof startWithIntegrations>>;
  let driver: Driver;
  beforeAll(async () => {
    const [slack, zoom, jira, pagerDuty, statuspage] = await Promise.all([startSlackStub(), startZoomStub(), startJiraStub('OPS'), startPagerDutyStub(), startStatuspageStub(PAGE_COMPONENT_NAMES)]);
    stubs = { slack, zoom, jira, pagerDuty, statuspage };
    firebreak = await startWithIntegrations({
      ...slackSettings(slack.stub.url),
      ...zoomSettings(zoom.stub.url),
      ...jiraSettings(jira.stub.url),
      ...pagerDutySettings(pagerDuty.stub.url),
      ...statuspageSettings(statuspage.stub.url),
    });
    driver = await Driver.connect(firebreak.http);
  });
  afterAll(async () => {
    await firebreak?.stop();
    await Promise.all(Object.values(stubs ?? {}).map(({ stub }) => stub.stop()));
  });

  it('major-incident-kickoff completes on Slack, Zoom, Jira, Statuspage and PagerDuty, every field within what each accepts', async () => {
    const kickoff = runbook('major-incident-kickoff');
    await property(fc.record({ input: driver.inputs(kickoff, PAGE_COMPONENTS), severity, onIncident: fc.boolean() }), async ({ input, severity, onIncident }) => {
      const execution = await driver.run(kickoff.id, input, onIncident ? await driver.declare(severity) : undefined);
      expectCompleted(execution);
      const channel = stubs.slack.channels.at(-1)!;
      expect(codePoints(channel.name)).toBeLessThanOrEqual(80);
      expect(channel.messages.map((message) => message.text).join('\n')).not.toMatch(/<!channel>|<!here>/);
      const issue = stubs.jira.stub.calls('createIssue').at(-1)!.body.fields;
      expect(issue.summary.length).toBeLessThanOrEqual(255);
      const opened = stubs.statuspage.incidents.at(-1)!;
      expect(opened.name).toBe(fitStatusText((input.publicTitle as string | undefined) ?? publicStatusTitle(input.service as string), STATUS_PAGE_BOUNDS.titleBytes));
    });
    expect(stubs.pagerDuty.stub.count('alert.open')).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);

  it('status-page-update opens a Statuspage incident, or updates the one its incident opened', async () => {
    const update = runbook('status-page-update');
    await property(fc.record({ input: driver.inputs(update, PAGE_COMPONENTS), openedFirst: fc.boolean(), severity }), async ({ input, openedFirst, severity }) => {
      const incidentId = await driver.declare(severity);
      if (openedFirst) await driver.openStatusIncident(incidentId);
      const execution = await driver.run(update.id, input, incidentId);
      expectCompleted(execution);
      const { statusIncidentId, message } = execution.outcome?.result as { statusIncidentId: string; message: string };
      const posted = stubs.statuspage.incidents.find((incident) => incident.id === statusIncidentId)!;
      expect(posted.name).toBe(openedFirst ? OPENED_BY_INCIDENT : fitStatusText((input.title as string | undefined) ?? publicStatusTitle(input.service as string), STATUS_PAGE_BOUNDS.titleBytes));
      expect(posted.incident_updates[0]).toEqual({ status: input.stage, body: fitStatusText(message, STATUS_PAGE_BOUNDS.messageBytes) });
    });
  }, TEST_TIMEOUT_MS);
});
