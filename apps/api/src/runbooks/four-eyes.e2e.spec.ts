import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { RunbookExecutionInput } from '../../../../core/model/execution';
import { loadOperatorConfig } from '../../../../core/schemas/operator-config';
import { TEST_KEY_NAMES, TestFirebreak } from '../../../../test/firebreak';
import { sharedTemporalAddress } from '../../../../test/temporal';
import { waitFor } from '../../../../test/wait';

const FINAL = ['completed', 'failed', 'cancelled', 'joined', 'over-budget'];
const unique = () => randomBytes(4).toString('hex');

/** No routes but one that opts out of approval; two services remediations may touch. */
const operator = loadOperatorConfig({
  routes: {
    file: 'test/routes',
    value: { routes: [{ name: 'auto', match: { team: 'auto' }, autoRemediate: true }], default: { impact: 'low', urgency: 'low' } },
  },
  escalationPolicies: { file: 'test/policies', value: {} },
  heartbeats: { file: 'test/heartbeats', value: [] },
  services: {
    file: 'test/services',
    value: {
      checkout: { repository: 'acme/checkout', ecs: { cluster: 'prod', service: 'checkout-web' } },
    },
  },
});

/** Runs here wait on Temporal and the worker; on a busy 2-core machine that takes more than the default 20 s. */
const RUN_BOUND = { timeoutMs: 60_000 };
jest.setTimeout(240_000);

describe('who may launch and approve runbooks: permissions, four eyes, N of M, operator-owned targets and budgets', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({ operator });
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await firebreak.stop();
    await temporal.connection.close();
  });

  const read = async (id: string) => (await firebreak.as('viewer').get(`/v1/executions/${id}`)).body;
  const finished = (id: string) =>
    waitFor(
      `execution ${id} to finish`,
      async () => {
        const execution = await read(id);
        return FINAL.includes(execution.status) ? execution : undefined;
      },
      RUN_BOUND,
    );
  const waitingApproval = (id: string) =>
    waitFor(
      `execution ${id} to wait for approval`,
      async () => {
        const execution = await read(id);
        return execution.status === 'waiting-approval' ? execution : undefined;
      },
      RUN_BOUND,
    );
  const launch = async (runbook: string, input: Record<string, unknown>, role: 'responder' | 'commander' = 'commander') => {
    const answer = await firebreak.as(role).post(`/v1/runbooks/${runbook}/executions`, { input });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  /** A scale-out that asks before acting and ends once it acted (no wait for the alert). */
  const scaleOut = (extra: Record<string, unknown> = {}) => ({ cluster: 'prod', service: `svc-${unique()}`, requireApproval: true, waitMinutes: 0, ...extra });

  describe('permissions', () => {
    it('lists each runbook as destructive or not, with who may launch and approve it', async () => {
      const { body } = await firebreak.as('viewer').get('/v1/runbooks');
      const byId = new Map(body.runbooks.map((runbook: { id: string }) => [runbook.id, runbook]));
      expect(byId.get('rollback-bad-deploy')).toMatchObject({
        destructive: true,
        permissions: { launch: ['commander', 'admin'], approve: ['responder', 'commander', 'admin'] },
        guardrails: { budget: { max: 1, windowMinutes: 30 }, globalBudget: { max: 3, windowMinutes: 60 } },
      });
      expect(byId.get('service-health-check')).toMatchObject({ destructive: false, permissions: { launch: ['responder', 'commander', 'admin'] } });
      expect(byId.get('status-page-update')).toMatchObject({ destructive: false, permissions: { launch: ['commander', 'admin'] } });
    });

    it("checks the runbook's own launch roles for a real run, after the route's right", async () => {
      const input = { stage: 'investigating', service: 'checkout' };
      const refused = await firebreak.as('responder').post('/v1/runbooks/status-page-update/executions', { input });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe('only commander or admin keys may launch status-page-update; yours is responder');
      // A dry run changes nothing: the route's right is enough.
      expect((await firebreak.as('responder').post('/v1/runbooks/status-page-update/executions', { input, dryRun: true })).status).toBe(201);
      expect((await firebreak.as('commander').post('/v1/runbooks/status-page-update/executions', { input, dryRun: true })).status).toBe(201);
    });
  });

  describe('four eyes', () => {
    it('refuses an approval by the principal that launched the run, and takes one by another', async () => {
      const id = await launch('scale-out-on-high-cpu', scaleOut());
      const pending = await waitingApproval(id);
      expect(pending.pendingApproval).toMatchObject({ approvers: ['responder', 'commander', 'admin'], launchedBy: TEST_KEY_NAMES.commander });

      const own = await firebreak.as('commander').post(`/v1/executions/${id}/approve`, {});
      expect(own.status).toBe(403);
      expect(own.body.message).toBe(`four eyes: ${TEST_KEY_NAMES.commander} launched this run, so someone else must approve it`);
      expect((await read(id)).status).toBe('waiting-approval');

      const other = await firebreak.as('admin').post(`/v1/executions/${id}/approve`, { comment: 'go' });
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ approved: true, by: TEST_KEY_NAMES.admin });
      expect(await finished(id)).toMatchObject({ status: 'completed', approvals: [expect.objectContaining({ approved: true, by: TEST_KEY_NAMES.admin })] });
    });

    it('lets the launcher stop its own run: a rejection needs no second person', async () => {
      const id = await launch('scale-out-on-high-cpu', scaleOut());
      await waitingApproval(id);
      expect((await firebreak.as('commander').post(`/v1/executions/${id}/reject`, { comment: 'changed my mind' })).status).toBe(200);
      expect(await finished(id)).toMatchObject({ status: 'completed', outcome: { result: { scaled: false, reason: 'rejected' } } });
    });

    it('refuses an approval by the key whose alert started the run', async () => {
      const id = `rbx-${randomBytes(6).toString('hex')}`;
      const input: RunbookExecutionInput & { triggeredBy: string } = {
        runbookId: 'scale-out-on-high-cpu',
        input: scaleOut(),
        launchedBy: 'alert',
        trigger: 'alert',
        triggeredBy: TEST_KEY_NAMES.responder,
      };
      await temporal.workflow.start('runbookWorkflow', { workflowId: id, taskQueue: firebreak.taskQueue, args: [input] });
      expect((await waitingApproval(id)).pendingApproval).toMatchObject({ triggeredBy: TEST_KEY_NAMES.responder });

      const sender = await firebreak.as('responder').post(`/v1/executions/${id}/approve`, {});
      expect(sender.status).toBe(403);
      expect(sender.body.message).toBe(`four eyes: the key ${TEST_KEY_NAMES.responder} started this run, so someone else must approve it`);
      expect((await firebreak.as('commander').post(`/v1/executions/${id}/approve`, {})).status).toBe(200);
      expect((await finished(id)).status).toBe('completed');
    });

    it('needs two distinct people when two approvals are required; one rejection rejects', async () => {
      const id = await launch('scale-out-on-high-cpu', scaleOut({ requiredApprovals: 2 }));
      expect((await waitingApproval(id)).pendingApproval).toMatchObject({ required: 2, approvedBy: [] });

      const first = await firebreak.as('admin').post(`/v1/executions/${id}/approve`, {});
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ approved: true, by: TEST_KEY_NAMES.admin, approvedBy: [TEST_KEY_NAMES.admin], outstanding: 1 });
      expect((await read(id)).status).toBe('waiting-approval');
      const again = await firebreak.as('admin').post(`/v1/executions/${id}/approve`, {});
      expect(again.status).toBe(403);
      expect(again.body.message).toBe(`${TEST_KEY_NAMES.admin} approved already; 1 more approval(s) by someone else are needed`);

      const second = await firebreak.as('responder').post(`/v1/executions/${id}/approve`, {});
      expect(second.status).toBe(200);
      const done = await finished(id);
      expect(done).toMatchObject({ status: 'completed', outcome: { result: { scaled: true } } });
      expect(done.approvals).toEqual([expect.objectContaining({ approved: true, approvedBy: [TEST_KEY_NAMES.admin, TEST_KEY_NAMES.responder] })]);

      const rejected = await launch('scale-out-on-high-cpu', scaleOut({ requiredApprovals: 2 }));
      await waitingApproval(rejected);
      expect((await firebreak.as('admin').post(`/v1/executions/${rejected}/approve`, {})).status).toBe(200);
      expect((await firebreak.as('responder').post(`/v1/executions/${rejected}/reject`, { comment: 'not now' })).status).toBe(200);
      expect(await finished(rejected)).toMatchObject({ outcome: { result: { scaled: false, reason: 'rejected' } } });
    });
  });

  describe('alert-started remediation: the services map decides what it touches', () => {
    const incidentOf = async (body: Record<string, unknown>) => {
      const answer = await firebreak.as('sender').post('/v1/alerts', { source: 'e2e', summary: 'checkout is failing', status: 'firing', dedupKey: unique(), ...body });
      expect(answer.status).toBe(202);
      return answer.body.incidentId as string;
    };
    const runsOf = (incidentId: string) =>
      waitFor('the started runbook', async () => {
        const incident = (await firebreak.as('viewer').get(`/v1/incidents/${incidentId}`)).body;
        return incident.runbooks.length > 0 ? (incident.runbooks as Array<{ runbookId: string; executionId: string }>) : undefined;
      });

    it('rolls back the repository the map names, not an alert label\'s, and waits for approval below SEV1', async () => {
      const id = await incidentOf({ service: 'checkout', severity: 'SEV3', labels: { remediation: 'rollback', repository: 'acme/payments', environment: 'production' } });
      const [run] = await runsOf(id);
      // Listed on the incident as it starts: readable once its workflow has run its first task.
      const execution = await waitFor('the execution', async () => {
        const current = await read(run.executionId);
        return current.input ? current : undefined;
      });
      expect(execution.input).toMatchObject({ service: 'checkout', scope: 'acme/checkout', requireApproval: true });
      expect(execution.trigger).toBe('alert');
      expect(JSON.stringify(execution)).not.toContain('acme/payments');
      // The built-in adapter knows no earlier release, so the run pages a human before it would ask.
      expect((await finished(run.executionId)).status).toBe('completed');
    });

    it('refuses an unknown service on the incident\'s timeline, and starts nothing', async () => {
      const id = await incidentOf({ service: `unknown-${unique()}`, labels: { remediation: 'rollback', repository: 'acme/checkout' } });
      const entry = await waitFor('the refusal on the timeline', async () => {
        const { body } = await firebreak.as('viewer').get(`/v1/incidents/${id}/timeline`);
        const entries = (Array.isArray(body) ? body : body.entries) as Array<{ summary: string }>;
        return entries.find((line) => line.summary.startsWith('Runbook rollback-bad-deploy not started'));
      });
      expect(entry.summary).toMatch(/is not listed in runbooks\/services\.ts, so a destructive runbook may not act on it$/);
      expect((await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body.runbooks).toEqual([]);
    });

    it('acts without approval only when the route opts out (autoRemediate), with the sending key recorded', async () => {
      const id = await incidentOf({ service: 'checkout', labels: { alertname: 'HighCPU', team: 'auto' } });
      const [run] = await runsOf(id);
      // It scales at once, asking nobody (then it watches the alert for minutes: not waited for here).
      const execution = await waitFor('the scale-out to act', async () => {
        const current = await read(run.executionId);
        const scaled = (current.steps as Array<{ name: string; status: string }>).some((step) => step.name === 'scaling.scaleService' && step.status === 'completed');
        return scaled ? current : undefined;
      });
      expect(execution.input).toMatchObject({ cluster: 'prod', service: 'checkout-web', requireApproval: false });
      expect(execution.approvals).toEqual([]);
    });
  });
  // Last: it spends the runbook's budget across all targets of this task queue.
  describe('budgets', () => {
    // Its own task queue: the runbook's budget across all targets is per task queue, and the tests above spent some.
    let shared: TestFirebreak;
    beforeAll(async () => {
      shared = firebreak;
      firebreak = await TestFirebreak.start({ operator });
    });
    afterAll(async () => {
      await firebreak.stop();
      firebreak = shared;
    });

    it('counts per resolved target, and across all targets of the runbook', async () => {
      // The built-in deploy adapter knows no release: a run that may act pages a human and completes.
      const target = (name: string) => ({ service: name, scope: `acme/${name}` });
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((letter) => `${letter}-${unique()}`);
      expect((await finished(await launch('rollback-bad-deploy', target(a)))).status).toBe('completed');
      const again = await finished(await launch('rollback-bad-deploy', target(a)));
      expect(again.status).toBe('over-budget');
      expect(again.log.map((line: { message: string }) => line.message).join('\n')).toContain(`budget spent for acme/${a}:${a}:production: 1 of 1 runs in 30 minutes`);
      // The same service in another environment is another target.
      expect((await finished(await launch('rollback-bad-deploy', { ...target(a), environment: 'staging' }))).status).toBe('completed');

      expect((await finished(await launch('rollback-bad-deploy', target(b)))).status).toBe('completed');
      const past = await finished(await launch('rollback-bad-deploy', target(c)));
      expect(past.status).toBe('over-budget');
      expect(past.log.map((line: { message: string }) => line.message).join('\n')).toContain('budget spent for all targets of rollback-bad-deploy: 3 of 3 runs in 60 minutes');
      expect((await finished(await launch('rollback-bad-deploy', target(d)))).status).toBe('over-budget');
    });
  });
});
