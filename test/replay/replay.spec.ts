/**
 * Runs recorded from the shipped workflows and runbooks must replay on today's code: a
 * change that would break runs in flight fails here (use `patched()`, or `ctx.patched()` in
 * a runbook). Record fresh histories with `npm run record-histories`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { NormalModuleReplacementPlugin } from 'webpack';
import type { ReceivedAlert } from '../../core/model/alert';
import { alertLeaseBeatSignal, alertQueueId, type AlertLeaseInput, type AlertLeaseResult } from '../../core/model/alert-lease';
import { guardWorkflowId } from '../../core/model/execution';
import type { AlertQueueInput, AlertQueueResult, QueuedAlert } from '../../core/model/incident';
import { guardQuery } from '../../core/model/messages';
import { scheduleOverridesWorkflowId } from '../../core/model/schedule-overrides';
import { sessionsWorkflowId } from '../../core/model/sessions';
import { webhookDeliveriesQuery, webhookDeliveryWorkflowId } from '../../core/model/webhook-delivery';
import type { Override } from '../../core/model/oncall/types';
import { statusPageWorkflowId } from '../../core/model/status-page-messages';
import { addOverride, removeOverride } from '../../temporal-client/schedule-overrides';
import { heartbeatWorkflowId } from '../../workflows/heartbeat';
import { WORKFLOW_INTERCEPTOR_MODULES, workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';
import { TEST_KEYS, TestFirebreak } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { sharedTemporalAddress, TEST_ENV, workflowBundle } from '../temporal';
import { startWebhookReceiver, type WebhookReceiver } from '../vendors/webhook-receiver';
import { waitFor } from '../wait';

const HISTORIES = join(__dirname, '..', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';
/** A monitor quick to fall silent, so that a recording sees it declare an incident in seconds. */
const RECORDED_HEARTBEAT = { name: 'recorded-heartbeat', intervalSeconds: 1, graceSeconds: 3, service: 'batch', onRecovery: 'mitigate', senders: ['alertmanager'] };

/**
 * On call for the recorded incident: level 1 reaches a schedule's person (Slack at once, SMS
 * a moment later) and a pager name, level 2 a person by email, so its history holds who was
 * on call, the notifications, the pager told per level and the status page resolved with it.
 */
const RECORDED_ONCALL = {
  escalation: {
    levels: [
      { targets: ['schedule:recorded-primary', 'recorded-pager'], timeoutSeconds: 2 },
      { targets: ['user:lee'], timeoutSeconds: 3600 },
    ],
  },
  responders: [
    {
      id: 'dana',
      name: 'Dana Scully',
      timeZone: 'Europe/Berlin',
      contact: { slack: 'U0DANA01', sms: '+14155550101' },
      rules: [
        { method: 'slack' as const, afterMinutes: 0 },
        { method: 'sms' as const, afterMinutes: 0.01 },
      ],
    },
    { id: 'lee', name: 'Lee Adama', timeZone: 'UTC', contact: { email: 'lee@acme.test' }, rules: [{ method: 'email' as const, afterMinutes: 0 }] },
  ],
  schedules: [
    {
      id: 'recorded-primary',
      name: 'Recorded primary',
      timeZone: 'UTC',
      layers: [{ name: 'weekly', responders: ['dana'], start: '2026-01-05', handoff: '09:00', shift: { every: 1, unit: 'weeks' as const } }],
    },
  ],
};

/** The recordings' webhook subscription: every event, so the incident and runbook histories hold their publishing. */
const RECORDED_WEBHOOK = { id: 'recorded', events: '*' as const, secret: 'FIREBREAK_RECORDED_WEBHOOK_SECRET' };

/** A workflow's history as recorded, under the name its file takes. */
type Recording = [name: string, history: string];

/**
 * Runs every shipped runbook on an incident (local adapters), the incident's life, the
 * status page it posts to, an alert queue's recovery, an alert lease that lapses, a
 * heartbeat monitor's silence and recovery, a runbook's guardrail and a schedule's
 * overrides, and saves each workflow's history. Long-lived workflows are recorded once they
 * reach the state that matters, still running: a replay checks the commands recorded so far.
 * A history already recorded is kept (it stands for runs that may be in flight) and the new
 * one is saved beside it, as `<name>@<time>.json`.
 */
async function recordHistories(): Promise<void> {
  // The receiver fails its first delivery once, so the delivery history holds a failed attempt's retry.
  const receiver = (await startWebhookReceiver()).fail({ status: 503 });
  process.env[RECORDED_WEBHOOK.secret] = receiver.secret;
  const webhooks = [{ ...RECORDED_WEBHOOK, url: receiver.url }];
  const firebreak = await TestFirebreak.start({ operator: testOperatorConfig({ heartbeats: [RECORDED_HEARTBEAT], ...RECORDED_ONCALL, webhooks }) });
  const temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  try {
    const recordings = [
      ...(await recordRunbooksAndIncident(firebreak, temporal)),
      ...(await recordStatusPage(firebreak, temporal)),
      ...(await recordAlertQueues(firebreak, temporal)),
      ...(await recordHeartbeat(firebreak, temporal)),
      ...(await recordScheduleOverrides(firebreak, temporal)),
      ...(await recordSessions(firebreak, temporal)),
      ...(await recordWebhookDeliveries(firebreak, temporal, receiver)),
    ];
    mkdirSync(HISTORIES, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (const [name, history] of recordings) {
      const file = existsSync(join(HISTORIES, `${name}.json`)) ? `${name}@${stamp}.json` : `${name}.json`;
      writeFileSync(join(HISTORIES, file), history);
    }
  } finally {
    await temporal.connection.close();
    await firebreak.stop();
    await receiver.stop();
  }
}

/** The history of workflow `id` as it stands now. */
function historyNow(id: string): string {
  // The Temporal CLI writes the canonical proto3 JSON that replays read back.
  const json = execFileSync(
    process.env[TEST_ENV.binary]!,
    ['workflow', 'show', '--workflow-id', id, '--address', sharedTemporalAddress(), '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  // Without the stack traces failures carry: they name this machine's paths, and replay never reads them.
  const withoutStacks = JSON.parse(json, (key, value: unknown) => (key === 'stackTrace' && typeof value === 'string' ? '' : value));
  return `${JSON.stringify(withoutStacks, null, 1)}\n`;
}

/** Waits until workflow `id` has completed every workflow task it was given, so its history ends where its code waits. */
async function settled(temporal: Client, id: string): Promise<void> {
  await waitFor(`${id} to settle`, async () => {
    const { events } = await temporal.workflow.getHandle(id).fetchHistory();
    const tasks = (events ?? []).filter((event) => event.workflowTaskScheduledEventAttributes || event.workflowTaskCompletedEventAttributes);
    return tasks.length > 0 && Boolean(tasks[tasks.length - 1].workflowTaskCompletedEventAttributes);
  });
}

/** The shipped runbooks on an incident, the guardrail of the guarded one, and the incident's life to its close. */
async function recordRunbooksAndIncident(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  // Destructive runbooks, status updates and closing are a commander's.
  const commander = firebreak.as('commander');
  const incident = (await commander.post('/v1/incidents', { title: 'Recorded incident', severity: 'SEV1', service: 'checkout' })).body.id;
  const launches: Array<[string, Record<string, unknown>, boolean?]> = [
    ['major-incident-kickoff', { title: 'Checkout down', service: 'checkout', responders: ['U1'] }],
    ['major-incident-kickoff', { title: 'Checkout down', service: 'checkout' }, true],
    ['rollback-bad-deploy', { service: 'checkout', scope: 'acme/checkout' }],
    ['scale-out-on-high-cpu', { cluster: 'prod', service: 'checkout', waitMinutes: 0 }],
    ['service-health-check', { cluster: 'prod', service: 'checkout' }],
    ['status-page-update', { stage: 'identified', service: 'checkout' }],
    ['restart-unhealthy-deployment', { namespace: 'shop', deployment: 'checkout' }],
  ];
  const recordings: Recording[] = [];
  for (const [name, input, dryRun] of launches) {
    const { body } = await commander.post(`/v1/runbooks/${name}/executions`, { input, incidentId: incident, dryRun: dryRun ?? false });
    await waitFor(`${name} to finish`, async () => (await temporal.workflow.getHandle(body.id).describe()).status.name === 'COMPLETED');
    recordings.push([`${name}${dryRun ? '.dry-run' : ''}`, historyNow(body.id)]);
  }

  // The guardrail of scale-out-on-high-cpu: its run led it, acted within budget and released it.
  const guard = guardWorkflowId('scale-out-on-high-cpu', 'prod/checkout');
  await waitFor('the guardrail to be released', async () => (await temporal.workflow.getHandle(guard).query(guardQuery)).active === undefined);
  await settled(temporal, guard);
  recordings.push(['runbook-guard', historyNow(guard)]);

  await waitFor('both levels to notify their people', async () => {
    const sent = (await firebreak.as('viewer').get(`/v1/notifications?incidentId=${incident}`)).body.notifications ?? [];
    return ['slack', 'sms', 'email'].every((method) => sent.some((entry: { method: string }) => entry.method === method));
  });
  for (const action of [{ action: 'acknowledge' }, { action: 'post-status-update', message: 'Investigating' }, { action: 'resolve' }, { action: 'close' }]) {
    await commander.post(`/v1/incidents/${incident}/actions`, action);
  }
  await waitFor('the incident to complete', async () => (await temporal.workflow.getHandle(incident).describe()).status.name === 'COMPLETED');
  recordings.push(['incident', historyNow(incident)]);
  return recordings;
}

/** An incident whose status updates open a status incident, update it and resolve it, and the status page that holds it. */
async function recordStatusPage(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  // Destructive runbooks, status updates and closing are a commander's.
  const commander = firebreak.as('commander');
  const incident = (await commander.post('/v1/incidents', { title: 'Recorded status incident', severity: 'SEV2', service: 'payments' })).body.id;
  const updates = [
    { title: 'Card payments delayed', message: 'Some card payments are delayed.', components: { Payments: 'partial_outage' } },
    { status: 'identified', message: 'We found the cause and are rolling back.' },
    { status: 'resolved', message: 'Card payments go through again.', components: { Payments: 'operational' } },
  ];
  for (const update of updates) {
    const answer = await commander.post(`/v1/incidents/${incident}/actions`, { action: 'post-status-update', ...update });
    if (answer.status !== 200) throw new Error(`post-status-update answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  await waitFor('the status incident to be resolved', async () =>
    (await firebreak.http.get('/status.json')).body.resolvedIncidents?.some((shown: { title: string }) => shown.title === 'Card payments delayed'),
  );
  const page = statusPageWorkflowId(firebreak.taskQueue);
  await settled(temporal, page);
  await settled(temporal, incident);
  return [
    ['status-page', historyNow(page)],
    ['incident.status-updates', historyNow(incident)],
  ];
}

/** A queued alert, as the API writes it to a queue. */
function queuedAlert(summary: string): QueuedAlert {
  const dedupKey = `recorded-queue-${randomUUID()}`;
  const received: ReceivedAlert = {
    receiptId: `recorded-${randomUUID()}`,
    receivedAt: new Date().toISOString(),
    receivedBy: 'alertmanager',
    alert: { source: 'recorded', summary, status: 'firing', severity: 'SEV3', dedupKey, labels: {}, annotations: {} },
  };
  return { alert: received, template: { title: summary, severity: 'SEV3', dedupKey, openedBy: 'recorded' } };
}

/**
 * An alert queue whose API never reported delivery (it waits, then delivers the alerts
 * itself), and a lease whose API process falls silent: it tells the queue it covers (and
 * the numbers it reserved, never used) to deliver now.
 */
async function recordAlertQueues(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  const { taskQueue } = firebreak;
  const queueId = `alert-queue-recorded-${Date.now()}`;
  await temporal.workflow.execute('alertQueueWorkflow', {
    workflowId: queueId,
    taskQueue,
    args: [{ alerts: [queuedAlert('Queued alert')], recoverAfterMs: 10 } satisfies AlertQueueInput],
  });

  const leaseId = `alert-lease-recorded-${Date.now()}`;
  const leasedQueueId = alertQueueId(leaseId, 1);
  // The queue is written before the beat that names it, so the lease finds it when it lapses.
  await temporal.workflow.start('alertQueueWorkflow', {
    workflowId: leasedQueueId,
    taskQueue,
    args: [{ alerts: [queuedAlert('Leased alert')], recoverAfterMs: 60_000, lease: leaseId } satisfies AlertQueueInput],
  });
  await temporal.workflow.signalWithStart('alertLeaseWorkflow', {
    workflowId: leaseId,
    taskQueue,
    args: [{ silenceMs: 500 } satisfies AlertLeaseInput],
    signal: alertLeaseBeatSignal,
    signalArgs: [{ queues: [1], unusedFrom: 2, through: 3 }],
  });
  const told: AlertLeaseResult = await temporal.workflow.getHandle(leaseId).result();
  const leased: AlertQueueResult = await temporal.workflow.getHandle(leasedQueueId).result();
  if (told.told !== 3 || leased.outcome !== 'recovered') throw new Error(`the lease told ${told.told} queues and its queue ${leased.outcome}`);
  return [
    ['alert-queue', historyNow(queueId)],
    ['alert-lease', historyNow(leaseId)],
    ['alert-queue.leased', historyNow(leasedQueueId)],
  ];
}

/** A heartbeat monitor pinged, then silent past its deadline (it declares an incident), then pinged again (the incident hears of the recovery). */
async function recordHeartbeat(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  const responder = firebreak.as('responder');
  const viewer = firebreak.as('viewer');
  const ping = `/v1/heartbeats/${RECORDED_HEARTBEAT.name}`;
  for (let pings = 0; pings < 2; pings += 1) await responder.post(ping);
  const declared: string = await waitFor('the monitor to declare an incident', async () => (await viewer.get(ping)).body.openIncidentId);
  await responder.post(ping);
  await waitFor('the declared incident to hear of the recovery', async () => (await viewer.get(`/v1/incidents/${declared}`)).body.status === 'mitigated');
  const monitor = heartbeatWorkflowId(RECORDED_HEARTBEAT.name);
  await waitFor('the monitor to clear its incident', async () => (await viewer.get(ping)).body.openIncidentId === undefined);
  await settled(temporal, monitor);
  return [['heartbeat', historyNow(monitor)]];
}

/** A schedule's overrides: two added (one of them twice, as a retried request), one removed. */
async function recordScheduleOverrides(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  const scheduleId = `recorded-${Date.now()}`;
  const hour = 60 * 60 * 1000;
  const now = Date.now();
  const override = (hours: number): Override => ({
    id: randomUUID(),
    responder: 'recorded',
    from: new Date(now + hours * hour).toISOString(),
    to: new Date(now + (hours + 1) * hour).toISOString(),
    createdBy: 'recorder',
    createdAt: new Date(now).toISOString(),
  });
  const [first, second] = [override(1), override(2)];
  for (const added of [first, first, second]) await addOverride(temporal, { taskQueue: firebreak.taskQueue, scheduleId, override: added });
  await removeOverride(temporal, { taskQueue: firebreak.taskQueue, scheduleId, overrideId: first.id, by: 'recorder' });
  const id = scheduleOverridesWorkflowId(firebreak.taskQueue, scheduleId);
  await settled(temporal, id);
  return [['schedule-overrides', historyNow(id)]];
}

/** Console sessions signed in and out: the sign-outs the sessions workflow holds. */
async function recordSessions(firebreak: TestFirebreak, temporal: Client): Promise<Recording[]> {
  for (let i = 0; i < 2; i += 1) {
    const signedIn = await firebreak.http.post('/v1/session', { key: TEST_KEYS.viewer });
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
    const signedOut = await firebreak.http.request('DELETE', '/v1/session', undefined, { cookie, 'x-csrf-token': signedIn.body.csrfToken });
    if (signedOut.status !== 204) throw new Error(`sign-out answered ${signedOut.status}`);
  }
  const id = sessionsWorkflowId(firebreak.taskQueue);
  await settled(temporal, id);
  return [['sessions', historyNow(id)]];
}

/** The recorded subscription's delivery workflow, once it has delivered everything the other recordings published. */
async function recordWebhookDeliveries(firebreak: TestFirebreak, temporal: Client, receiver: WebhookReceiver): Promise<Recording[]> {
  const id = webhookDeliveryWorkflowId(firebreak.taskQueue, RECORDED_WEBHOOK.id);
  const handle = temporal.workflow.getHandle(id);
  await waitFor('every webhook event to be delivered', async () => {
    const view = await handle.query(webhookDeliveriesQuery);
    return view.pending === 0 && view.counters.delivered > 0 && receiver.unique().length === view.counters.delivered;
  }, { timeoutMs: 60_000 });
  await settled(temporal, id);
  return [['webhook-delivery', historyNow(id)]];
}

function recorded() {
  return readdirSync(HISTORIES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8'))) }));
}

async function replay(codePath: { code: string } | { codePath: string }) {
  const failures: Array<{ workflowId: string; error: unknown }> = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: codePath }, recorded())) {
    if (result.error) failures.push({ workflowId: result.workflowId, error: result.error });
  }
  return failures;
}

describe('replaying recorded histories', () => {
  beforeAll(async () => {
    if (RECORD || !existsSync(HISTORIES) || readdirSync(HISTORIES).length === 0) await recordHistories();
  });

  it('replays every recorded run of the shipped workflows and runbooks on the current code', async () => {
    const names = recorded().map(({ workflowId }) => workflowId);
    expect(names).toEqual(
      expect.arrayContaining([
        ...['incident', 'alert-queue', 'alert-lease', 'heartbeat', 'runbook-guard', 'status-page', 'schedule-overrides', 'sessions', 'webhook-delivery'],
        ...['major-incident-kickoff', 'rollback-bad-deploy', 'scale-out-on-high-cpu', 'service-health-check', 'status-page-update'],
        'restart-unhealthy-deployment',
      ]),
    );
    expect(await replay(workflowBundle())).toEqual([]);
  });

  it('replays a listed start whose first task a worker from before `listed` ran', async () => {
    // Such a worker ignored `listed`: it recorded the patch marker and upserted the listing.
    const json = readdirSync(HISTORIES)
      .filter((name) => /^incident(@.*)?\.json$/.test(name))
      .map((name) => JSON.parse(readFileSync(join(HISTORIES, name), 'utf8')))
      .find((history) => history.events.some((event: Record<string, any>) => event.markerRecordedEventAttributes?.markerName === 'core_patch'));
    const events: Array<Record<string, any>> = json.events;
    const payload = events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
    payload.data = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')), listed: true })).toString('base64');
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: workflowBundle() }, [{ workflowId: 'listed-before', history: historyFromJSON(json) }])) {
      results.push(result);
    }
    expect(results.map(({ error }) => error)).toEqual([undefined]);
  });

  it('fails the replay when a shipped runbook changes non-deterministically', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
      ...workflowBundlerOptions([
        new NormalModuleReplacementPlugin(/\.[\\/]major-incident-kickoff\.runbook$/, (resource: { context: string; request: string }) => {
          if (!resource.context.startsWith(__dirname)) resource.request = join(__dirname, 'kickoff-reordered.runbook.ts');
        }),
      ]),
    });
    const failures = await replay({ code: changed.code });
    // Every recorded run of the kickoff (not its dry runs, which call no activity) and nothing else.
    const kickoffRuns = recorded().map(({ workflowId }) => workflowId).filter((id) => /^major-incident-kickoff(@|$)/.test(id));
    expect(failures.map(({ workflowId }) => workflowId).sort()).toEqual(kickoffRuns.sort());
    for (const { error } of failures) expect(error).toBeInstanceOf(DeterminismViolationError);
  });
});
