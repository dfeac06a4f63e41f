import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { useTestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { waitFor } from '../../../test/wait';

type Step = { id: string; name: string; status: string; args: any; result?: any; attempts?: number; compensates?: string };

describe('runbooks over HTTP, on the local adapters', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });

  // A commander may launch every runbook, destructive ones too (rights.e2e.spec.ts checks who else may).
  const launch = (name: string, body: Record<string, unknown>) => e2e.firebreak.as('commander').post(`/v1/runbooks/${name}/executions`, body);
  const execution = async (id: string) => (await e2e.viewer.get(`/v1/executions/${id}`)).body;
  const finished = (id: string) =>
    waitFor(`execution ${id} to finish`, async () => {
      const body = await execution(id);
      return ['completed', 'failed', 'cancelled', 'joined', 'over-budget'].includes(body.status) ? body : undefined;
    });
  const declare = async (severity = 'SEV2') =>
    (await e2e.responder.post('/v1/incidents', { title: 'runbook test', severity, service: 'checkout' })).body.id as string;

  it('lists the catalog with each input as JSON Schema', async () => {
    const catalog = await e2e.viewer.get('/v1/runbooks');
    expect(catalog.status).toBe(200);
    const ids = catalog.body.runbooks.map((runbook: { id: string }) => runbook.id);
    expect(ids).toEqual(
      expect.arrayContaining(['major-incident-kickoff', 'rollback-bad-deploy', 'scale-out-on-high-cpu', 'service-health-check', 'status-page-update']),
    );
    const scale = catalog.body.runbooks.find((runbook: { id: string }) => runbook.id === 'scale-out-on-high-cpu');
    expect(scale.inputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['cluster', 'service']) });
    expect(scale.triggers[0].match.alertname).toMatch(/^\/\^\(HighCPU/);
    expect(scale.guardrails).toEqual({ singleFlight: true, budget: { max: 3, windowMinutes: 60 }, globalBudget: { max: 10, windowMinutes: 60 } });
  });

  it('refuses invalid input with 400 naming the field, and starts nothing', async () => {
    const bad = await launch('scale-out-on-high-cpu', { input: { cluster: 'prod', step: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'input.service', rule: 'invalid_type' }),
        expect.objectContaining({ path: 'input.step', rule: 'too_small' }),
      ]),
    );
    expect((await launch('no-such-runbook', { input: {} })).status).toBe(404);
    expect((await launch('service-health-check', { input: { cluster: 'c', service: 's' }, incidentId: 'inc-000000000000' })).status).toBe(404);
    const viewerLaunch = await e2e.viewer.post('/v1/runbooks/service-health-check/executions', { input: { cluster: 'c', service: 's' } });
    expect(viewerLaunch.status).toBe(403);

    // A valid control launch proves visibility is current: it is the only run on the queue.
    const temporal = new Client({ connection: await Connection.connect({ address: e2e.firebreak.config.temporal.address }) });
    try {
      const control = await launch('service-health-check', { input: { cluster: 'c', service: 's' } });
      const runs = await waitFor('the control run in visibility', async () => {
        const ids: string[] = [];
        const query = `TaskQueue = '${e2e.firebreak.taskQueue}' AND WorkflowType = 'runbookWorkflow'`;
        for await (const run of temporal.workflow.list({ query })) ids.push(run.workflowId);
        return ids.includes(control.body.id) ? ids : undefined;
      });
      expect(runs).toEqual([control.body.id]);
    } finally {
      await temporal.connection.close();
    }
  });

  it('runs major-incident-kickoff to the end and reports it on the incident timeline', async () => {
    const incidentId = await declare('SEV1');
    const started = await launch('major-incident-kickoff', {
      incidentId,
      input: { title: 'Checkout down', service: 'checkout', responders: ['U1', 'U2'], components: { Checkout: 'major_outage' } },
    });
    expect(started.status).toBe(201);
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ status: 'completed', runbookId: 'major-incident-kickoff', runbookVersion: 1, incidentId, dryRun: false });
    expect(done.steps.map((step: Step) => [step.name, step.status])).toEqual([
      ['ticketing.createTicket', 'completed'],
      ['chat.createChannel', 'completed'],
      ['chat.invite', 'completed'],
      ['chat.postMessage', 'completed'],
      ['video.createMeeting', 'completed'],
      ['chat.postMessage', 'completed'],
      ['statusPage.openIncident', 'completed'],
      ['paging.page', 'completed'],
    ]);
    expect(done.steps.every((step: Step) => step.attempts === 1)).toBe(true);
    expect(done.steps[5]).toMatchObject({ id: 'chat.postMessage#2', args: { pin: true, text: expect.stringMatching(/^Video room: /) } });
    expect(done.outcome.result).toMatchObject({ ticket: expect.any(String), meeting: expect.any(String) });

    // The run sent its last entry before it ended; the incident records it on its next workflow task.
    const runbookEntries = await waitFor('the run\'s last entry on the incident timeline', async () => {
      const timeline = (await e2e.viewer.get(`/v1/incidents/${incidentId}`)).body.timeline as Array<{ kind: string; summary: string }>;
      const entries = timeline.filter((entry) => entry.kind === 'runbook').map((entry) => entry.summary);
      return entries.at(-1) === 'Major incident kickoff: completed' ? entries : undefined;
    });
    expect(runbookEntries[0]).toMatch(/^Major incident kickoff: started by incident-lead/);
  });

  it('plans a dry run step by step without calling any adapter', async () => {
    const started = await launch('major-incident-kickoff', {
      dryRun: true,
      input: { title: 'Dry', service: 'checkout', responders: ['U1'], onCall: ['sre'] },
    });
    const done = await finished(started.body.id);
    expect(done).toMatchObject({ status: 'completed', dryRun: true });
    expect(done.plan.map((step: { action: string }) => step.action)).toEqual([
      'ticketing.createTicket',
      'chat.createChannel',
      'chat.invite',
      'chat.postMessage',
      'video.createMeeting',
      'chat.postMessage',
      'statusPage.openIncident',
      'paging.page',
    ]);
    expect(done.plan[2]).toEqual({ step: 'chat.invite', action: 'chat.invite', args: { channelId: 'dry-run-channel', users: ['U1'] } });
    expect(done.plan[7].args).toMatchObject({ targets: ['sre'], severity: 'critical' });
    expect(done.steps.every((step: Step) => step.status === 'planned' && step.attempts === undefined)).toBe(true);
  });

  it.each([
    // A scope of its own: guardrails are per namespace, and another file's run on acme/checkout may hold its guard.
    ['rollback-bad-deploy', { service: 'checkout', scope: `acme/checkout-${randomUUID().slice(0, 8)}` }, ['deploy.findReleases', 'paging.page']],
    ['scale-out-on-high-cpu', { cluster: 'prod', service: 'search', waitMinutes: 0 }, ['scaling.describeService', 'scaling.scaleService']],
    ['service-health-check', { cluster: 'prod', service: 'search' }, ['scaling.describeService', 'monitoring.listAlarms']],
    ['status-page-update', { stage: 'identified', service: 'checkout', details: 'Rollback under way.' }, ['statusPage.openIncident']],
  ])('runs %s to the end on the local adapters', async (name, input, steps) => {
    const incidentId = await declare();
    const started = await launch(name, { incidentId, input });
    const done = await finished(started.body.id);
    expect(done.status).toBe('completed');
    expect(done.steps.map((step: Step) => step.name)).toEqual(steps);
  });

  it.each([
    ['rollback-bad-deploy', { service: 'checkout', scope: 'acme/checkout', requireApproval: true }, ['deploy.findReleases', 'approval', 'deploy.rollback']],
    ['scale-out-on-high-cpu', { cluster: 'prod', service: 'search', scaleBackAfterMinutes: 5 }, ['scaling.describeService', 'scaling.scaleService', 'sleep', 'scaling.scaleService']],
    ['service-health-check', { cluster: 'prod', service: 'search' }, ['scaling.describeService', 'monitoring.listAlarms']],
    ['status-page-update', { stage: 'monitoring', service: 'checkout' }, ['statusPage.openIncident']],
  ])('plans a dry run of %s', async (name, input, actions) => {
    const started = await launch(name, { input, dryRun: true });
    const done = await finished(started.body.id);
    expect(done.status).toBe('completed');
    expect(done.plan.map((step: { action: string }) => step.action)).toEqual(actions);
  });
});
