/**
 * Runs recorded from the shipped workflows and runbooks must replay on today's code: a
 * change that would break runs in flight fails here (use `patched()`, or `ctx.patched()` in
 * a runbook). Record fresh histories with `npm run record-histories`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { NormalModuleReplacementPlugin } from 'webpack';
import type { ReceivedAlert } from '../../core/alert';
import type { AlertQueueInput } from '../../core/incident';
import { workflowBundlerOptions } from '../../apps/worker/src/workflow-bundle';
import { TestFirebreak } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { sharedTemporalAddress, TEST_ENV, workflowBundle } from '../temporal';
import { waitFor } from '../wait';

const HISTORIES = join(__dirname, '..', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';

/**
 * Runs every shipped runbook on an incident (local adapters), the incident's life and an
 * alert queue's recovery, and saves each workflow's history. A history already recorded is
 * kept (it stands for runs that may be in flight) and the new one is saved beside it, as
 * `<name>@<time>.json`.
 */
async function recordHistories(): Promise<void> {
  const firebreak = await TestFirebreak.start({ operator: testOperatorConfig() });
  const temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  try {
    const responder = firebreak.as('responder');
    const incident = (await responder.post('/v1/incidents', { title: 'Recorded incident', severity: 'SEV1', service: 'checkout' })).body.id;
    const launches: Array<[string, Record<string, unknown>, boolean?]> = [
      ['major-incident-kickoff', { title: 'Checkout down', service: 'checkout', responders: ['U1'] }],
      ['major-incident-kickoff', { title: 'Checkout down', service: 'checkout' }, true],
      ['rollback-bad-deploy', { service: 'checkout', scope: 'acme/checkout' }],
      ['scale-out-on-high-cpu', { cluster: 'prod', service: 'checkout', waitMinutes: 0 }],
      ['service-health-check', { cluster: 'prod', service: 'checkout' }],
      ['status-page-update', { stage: 'identified', service: 'checkout' }],
    ];
    const ids: Array<[string, string]> = [];
    for (const [name, input, dryRun] of launches) {
      const { body } = await responder.post(`/v1/runbooks/${name}/executions`, { input, incidentId: incident, dryRun: dryRun ?? false });
      await waitFor(`${name} to finish`, async () => (await temporal.workflow.getHandle(body.id).describe()).status.name === 'COMPLETED');
      ids.push([`${name}${dryRun ? '.dry-run' : ''}`, body.id]);
    }
    for (const action of [{ action: 'acknowledge' }, { action: 'post-status-update', message: 'Investigating' }, { action: 'resolve' }, { action: 'close' }]) {
      await responder.post(`/v1/incidents/${incident}/actions`, action);
    }
    await waitFor('the incident to complete', async () => (await temporal.workflow.getHandle(incident).describe()).status.name === 'COMPLETED');
    ids.push(['incident', incident]);

    // An alert queue whose API never reported delivery: it waits, then delivers the alerts itself.
    const received: ReceivedAlert = {
      receiptId: `recorded-${Date.now()}`,
      receivedAt: new Date().toISOString(),
      receivedBy: 'alertmanager',
      alert: { source: 'recorded', summary: 'Queued alert', status: 'firing', severity: 'SEV3', dedupKey: `recorded-queue-${Date.now()}`, labels: {}, annotations: {} },
    };
    const queueId = `alert-queue-recorded-${Date.now()}`;
    await temporal.workflow.execute('alertQueueWorkflow', {
      workflowId: queueId,
      taskQueue: firebreak.taskQueue,
      args: [{ alerts: [{ alert: received, template: { title: 'Queued alert', severity: 'SEV3', dedupKey: received.alert.dedupKey, openedBy: 'recorded' } }], recoverAfterMs: 10 } satisfies AlertQueueInput],
    });
    ids.push(['alert-queue', queueId]);
    mkdirSync(HISTORIES, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // The Temporal CLI writes the canonical proto3 JSON that replays read back.
    for (const [name, id] of ids) {
      const json = execFileSync(
        process.env[TEST_ENV.binary]!,
        ['workflow', 'show', '--workflow-id', id, '--address', sharedTemporalAddress(), '--output', 'json'],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      const file = existsSync(join(HISTORIES, `${name}.json`)) ? `${name}@${stamp}.json` : `${name}.json`;
      writeFileSync(join(HISTORIES, file), `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
    }
  } finally {
    await temporal.connection.close();
    await firebreak.stop();
  }
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
      expect.arrayContaining(['incident', 'alert-queue', 'major-incident-kickoff', 'rollback-bad-deploy', 'scale-out-on-high-cpu', 'service-health-check', 'status-page-update']),
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
