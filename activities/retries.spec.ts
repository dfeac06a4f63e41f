/**
 * The real adapters run through Temporal: a real worker on its own task queue executes each
 * activity from a (test-only) workflow, so retries, their bound and timeouts are Temporal's
 * own, against the vendor stubs. Each vendor's "create" answer is lost once; the retry must
 * find what the first attempt made, so the stub counts exactly one effect.
 */
import { ActivityFailure, ApplicationFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { sharedTemporalAddress, uniqueTaskQueue } from '../test/temporal';
import { githubSettings, startGithubStub } from '../test/vendors/github';
import { jiraSettings, startJiraStub } from '../test/vendors/jira';
import { pagerDutySettings, startPagerDutyStub } from '../test/vendors/pagerduty';
import { slackSettings, startSlackStub } from '../test/vendors/slack';
import { STATUSPAGE_KEY, startStatuspageStub, statuspageSettings } from '../test/vendors/statuspage';
import type { StepWorkflowInput } from '../test/vendors/step-workflow';
import type { StubServer } from '../test/vendors/stub-server';
import { bundleStepWorkflow, quietTemporalRuntime, type RunningWorker, startStepWorker } from '../test/vendors/temporal-worker';
import { startZoomStub, zoomSettings } from '../test/vendors/zoom';

quietTemporalRuntime();

/** Fast retries, bounded: what a test can wait for. */
const OPTIONS: StepWorkflowInput['options'] = {
  startToCloseTimeout: '10s',
  retry: { initialInterval: '50ms', backoffCoefficient: 1, maximumAttempts: 4 },
};

interface VendorCase {
  vendor: string;
  start: () => Promise<{ stub: StubServer }>;
  env: (url: string) => Record<string, string>;
  activity: string;
  input: unknown;
  /** The route that makes the side effect, and the effect it counts. */
  route: string;
  effect: string;
  /** What the retried attempt answers: it found the first attempt's work. */
  expected: (url: string) => unknown;
}

const ticket = { idempotencyKey: 'wf-1/ticket', incidentId: 'inc-1', summary: 'Checkout latency' };

const VENDORS: VendorCase[] = [
  {
    vendor: 'Jira',
    start: () => startJiraStub('OPS'),
    env: (url) => jiraSettings(url),
    activity: 'ticketingCreateTicket',
    input: ticket,
    route: 'createIssue',
    effect: 'issue.create',
    expected: (url) => ({ key: 'OPS-1', url: `${url}/browse/OPS-1`, created: false }),
  },
  {
    vendor: 'Slack',
    start: () => startSlackStub(),
    env: slackSettings,
    activity: 'chatCreateChannel',
    input: { idempotencyKey: 'wf-1/channel', incidentId: 'inc-1', name: 'inc-1 checkout' },
    route: 'conversations.create',
    effect: 'channel.create',
    expected: () => expect.objectContaining({ id: 'C00000001', created: false }),
  },
  {
    vendor: 'Zoom',
    start: () => startZoomStub(),
    env: zoomSettings,
    activity: 'videoCreateMeeting',
    input: { idempotencyKey: 'wf-1/bridge', incidentId: 'inc-1', topic: 'INC-1 bridge' },
    route: 'createMeeting',
    effect: 'meeting.create',
    expected: () => expect.objectContaining({ id: '85000000001', created: false }),
  },
  {
    vendor: 'Statuspage',
    start: () => startStatuspageStub(),
    env: statuspageSettings,
    activity: 'statusPageOpenIncident',
    input: { idempotencyKey: 'wf-1/status', incidentId: 'inc-1', title: 'Checkout is slow', message: 'Investigating.' },
    route: 'createIncident',
    effect: 'incident.create',
    expected: () => ({ id: 'inc1', url: 'https://stspg.example/1', created: false }),
  },
  {
    vendor: 'GitHub',
    start: async () => {
      const github = await startGithubStub('acme', 'shop');
      github.seed('1'.repeat(40), 'v41', ['success']);
      return github;
    },
    env: githubSettings,
    activity: 'deployRollback',
    input: { idempotencyKey: 'wf-1/rollback', target: { service: 'shop', scope: 'acme/shop' }, to: { ref: 'v41', id: '1' } },
    route: 'createDeployment',
    effect: 'deployment.create',
    // The stub's CD system reports queued, in_progress, success as the rollback waits.
    expected: () => ({ deploymentId: '2', ref: 'v41', created: false, stable: true, state: 'success' }),
  },
  {
    vendor: 'PagerDuty',
    start: () => startPagerDutyStub(),
    env: pagerDutySettings,
    activity: 'pagingPage',
    input: { idempotencyKey: 'wf-1/page', incidentId: 'inc-1', action: 'trigger', dedupKey: 'checkout', summary: 'Checkout down' },
    route: 'enqueue',
    effect: 'alert.open',
    expected: () => ({ dedupKey: 'checkout', delivered: true, provider: 'pagerduty' }),
  },
];

describe('adapters through Temporal: retries, their bound, and exactly one effect', () => {
  let client: Client;
  let code: string;
  /** One worker runs all six real adapters (one capability each), each against its stub. */
  let worker: RunningWorker;
  let taskQueue: string;
  const stubs = new Map<string, StubServer>();

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    code = await bundleStepWorkflow();
    let env: Record<string, string> = { INTEGRATIONS_TIMEOUT_MS: '500' };
    for (const vendor of VENDORS) {
      const { stub } = await vendor.start();
      stubs.set(vendor.vendor, stub);
      env = { ...env, ...vendor.env(stub.url) };
    }
    taskQueue = uniqueTaskQueue('retries');
    worker = await startStepWorker({ taskQueue, code, env, client });
  });
  afterAll(async () => {
    await worker?.stop();
    for (const stub of stubs.values()) await stub.stop();
    await client?.connection.close();
  });
  afterEach(() => {
    for (const stub of stubs.values()) stub.heal();
  });

  let runs = 0;
  const run = (vendor: VendorCase, input: unknown = vendor.input) =>
    client.workflow.execute('stepWorkflow', {
      taskQueue,
      workflowId: `${taskQueue}-${++runs}`,
      args: [{ activity: vendor.activity, input, options: OPTIONS } satisfies StepWorkflowInput],
    });
  const vendorCase = (name: string) => VENDORS.find((vendor) => vendor.vendor === name)!;

  /** The ApplicationFailure behind a failed step workflow. */
  async function failureOf(running: Promise<unknown>): Promise<ApplicationFailure> {
    const error = await running.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activity = (error as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity!.cause).toBeInstanceOf(ApplicationFailure);
    return activity!.cause as ApplicationFailure;
  }

  it.each(VENDORS.map((vendor) => [vendor.vendor, vendor] as const))(
    '%s: an answer lost after the vendor acted is retried, finds the work, and acts once',
    async (_, vendor) => {
      const stub = stubs.get(vendor.vendor)!;
      stub.fail(vendor.route, 'act-then-hang');
      const result = await run(vendor);
      expect(result).toEqual(vendor.expected(stub.url));
      expect(stub.count(vendor.effect)).toBe(1);
      expect(stub.calls(vendor.route).length).toBeGreaterThanOrEqual(vendor.vendor === 'PagerDuty' ? 2 : 1);
    },
  );

  it('retries 429 (after its Retry-After) and 5xx until the vendor answers, then creates one ticket', async () => {
    const stub = stubs.get('Jira')!;
    const [searches, creates] = [stub.calls('searchJql').length, stub.calls('createIssue').length];
    stub.fail('searchJql', { status: 429, headers: { 'retry-after': '1' }, body: { errorMessages: ['Rate limited'] } });
    stub.fail('createIssue', { status: 502, body: 'bad gateway' });
    const result = await run(vendorCase('Jira'), { ...ticket, idempotencyKey: 'wf-2/ticket' });
    expect(result).toEqual({ key: 'OPS-2', url: `${stub.url}/browse/OPS-2`, created: true });
    expect(stub.calls('searchJql').length - searches).toBe(3);
    expect(stub.calls('createIssue').length - creates).toBe(2);
    expect(stub.count('issue.create')).toBe(2);
  });

  it('stops at the retry bound while the vendor keeps failing', async () => {
    const stub = stubs.get('PagerDuty')!;
    const before = stub.calls('enqueue').length;
    stub.failAlways('enqueue', { status: 503, body: { status: 'unavailable', message: 'try later' } });
    const failure = await failureOf(run(vendorCase('PagerDuty')));
    expect(failure).toMatchObject({ type: CapabilityFailure.Unavailable, nonRetryable: false });
    expect(stub.calls('enqueue').length - before).toBe(4);
  });

  it('does not retry a refusal', async () => {
    const stub = stubs.get('Statuspage')!;
    const before = stub.calls('createIncident').length;
    stub.fail('createIncident', { status: 422, body: { error: ['Name is invalid'] } });
    const input = { idempotencyKey: 'wf-3/status', incidentId: 'inc-3', title: 'Refused', message: 'x' };
    const failure = await failureOf(run(vendorCase('Statuspage'), input));
    expect(failure).toMatchObject({ type: CapabilityFailure.Rejected, nonRetryable: true });
    expect(failure.message).toContain('Name is invalid');
    expect(failure.message).not.toContain(STATUSPAGE_KEY);
    expect(stub.calls('createIncident').length - before).toBe(1);
  });
});
