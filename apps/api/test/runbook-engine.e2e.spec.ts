import { Client, Connection } from '@temporalio/client';
import { TestFirebreak } from '../../../test/firebreak';
import { testOperatorConfig } from '../../../test/operator';
import { sharedTemporalAddress } from '../../../test/temporal';
import { waitFor } from '../../../test/wait';

type Step = { id: string; name: string; status: string; compensates?: string };
const FINAL = ['completed', 'failed', 'cancelled', 'joined', 'over-budget'];

describe('the runbook engine: approvals, compensation, cancellation, triggers and guardrails', () => {
  let firebreak: TestFirebreak;
  let temporal: Client;

  beforeAll(async () => {
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig() });
    temporal = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await firebreak.stop();
    await temporal.connection.close();
  });

  // Runbooks with guardrails are destructive: a commander launches them.
  const launch = async (name: string, input: Record<string, unknown>, incidentId?: string, role: 'responder' | 'commander' = 'responder') => {
    const answer = await firebreak.as(role).post(`/v1/runbooks/${name}/executions`, { input, incidentId });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const read = async (id: string) => (await firebreak.as('viewer').get(`/v1/executions/${id}`)).body;
  const finished = (id: string) => waitFor(`execution ${id} to finish`, async () => {
    const execution = await read(id);
    return FINAL.includes(execution.status) ? execution : undefined;
  });
  const waitingApproval = (id: string) => waitFor('the approval to be pending', async () => {
    const execution = await read(id);
    return execution.status === 'waiting-approval' ? execution : undefined;
  });

  describe('approvals', () => {
    it('lets only the listed roles decide, and records who approved', async () => {
      const id = await launch('approval-demo', { approvers: ['admin'] });
      const pending = await waitingApproval(id);
      expect(pending.pendingApproval).toMatchObject({ prompt: 'Proceed with the risky step?', approvers: ['admin'] });

      const wrongRole = await firebreak.as('responder').post(`/v1/executions/${id}/approve`, { comment: 'looks fine' });
      expect(wrongRole.status).toBe(403);
      expect(wrongRole.body.message).toBe('only admin keys may decide this approval; yours is responder');
      expect((await firebreak.as('viewer').post(`/v1/executions/${id}/approve`, {})).status).toBe(403);
      expect((await read(id)).status).toBe('waiting-approval');

      const approved = await firebreak.as('admin').post(`/v1/executions/${id}/approve`, { comment: 'go' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ approved: true, by: 'ops', comment: 'go' });
      const done = await finished(id);
      expect(done).toMatchObject({ status: 'completed', outcome: { result: { outcome: 'approved', by: 'ops', comment: 'go' } } });
      expect(done.approvals).toEqual([expect.objectContaining({ approved: true, by: 'ops', prompt: 'Proceed with the risky step?' })]);
      expect((await firebreak.as('admin').post(`/v1/executions/${id}/approve`, {})).status).toBe(409);
    });

    it('takes a rejection with its reason', async () => {
      const id = await launch('approval-demo', { approvers: ['responder'] });
      await waitingApproval(id);
      const noReason = await firebreak.as('responder').post(`/v1/executions/${id}/reject`, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.issues[0]).toMatchObject({ path: 'comment' });
      expect((await firebreak.as('responder').post(`/v1/executions/${id}/reject`, { comment: 'not during peak' })).status).toBe(200);
      const done = await finished(id);
      expect(done.outcome.result).toEqual({ outcome: 'rejected', by: 'alertmanager', comment: 'not during peak' });
    });

    it('returns null on timeout, and the runbook pages instead', async () => {
      const id = await launch('approval-demo', { timeoutSeconds: 1 });
      const done = await finished(id);
      expect(done.outcome.result).toEqual({ outcome: 'timed-out' });
      expect(done.steps.map((step: Step) => step.name)).toEqual(['paging.page']);
      expect(done.log.map((line: { message: string }) => line.message)).toContain('approval timed out: Proceed with the risky step?');
    });
  });

  it('runs both compensations in reverse, once each, when the third step fails', async () => {
    const id = await launch('compensation-demo', { then: 'fail' });
    const done = await finished(id);
    expect(done.status).toBe('failed');
    expect(done.outcome.error).toMatch(/outside \[1, 10\]/);
    expect(done.outcome.undone).toEqual(['scaling.scaleService', 'statusPage.openIncident']);
    const undoSteps = done.steps.filter((step: Step) => step.compensates);
    expect(undoSteps.map((step: Step) => [step.compensates, step.name, step.status])).toEqual([
      ['scaling.scaleService', 'scaling.scaleService', 'completed'],
      ['statusPage.openIncident', 'statusPage.updateIncident', 'completed'],
    ]);
    expect(done.steps.find((step: Step) => step.id === 'scale-too-far')).toMatchObject({ status: 'failed', attempts: 1 });
    // Temporal records the run as failed (it closes a moment after it says so), and each undo ran as exactly one activity.
    await waitFor('the run to close as failed', async () => ((await temporal.workflow.getHandle(id).describe()).status.name === 'FAILED' ? true : undefined));
    const history = await temporal.workflow.getHandle(id).fetchHistory();
    const undoActivities = (history.events ?? []).filter((event) =>
      event.activityTaskScheduledEventAttributes?.activityId?.startsWith('undo:'),
    );
    expect(undoActivities).toHaveLength(2);
  });

  it('runs compensations when cancelled during a wait', async () => {
    const id = await launch('compensation-demo', { then: 'wait' });
    await waitingApproval(id);
    const cancel = await firebreak.as('responder').post(`/v1/executions/${id}/cancel`);
    expect(cancel.status).toBe(202);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'cancelled', outcome: { undone: ['scaling.scaleService', 'statusPage.openIncident'] } });
    // The run says it is cancelled a moment before it closes (it records and announces its end first).
    await waitFor('the run to close as cancelled', async () => ((await temporal.workflow.getHandle(id).describe()).status.name === 'CANCELLED' ? true : undefined));
    expect((await firebreak.as('responder').post(`/v1/executions/${id}/cancel`)).status).toBe(409);
  });

  it('joins a second run for the same target while the first runs, instead of running twice', async () => {
    const target = `flight-${firebreak.taskQueue}`;
    const first = await launch('single-flight-demo', { target }, undefined, 'commander');
    await waitingApproval(first);
    const second = await launch('single-flight-demo', { target }, undefined, 'commander');
    const joined = await finished(second);
    expect(joined).toMatchObject({ status: 'joined', outcome: { joined: first } });
    expect(joined.steps).toEqual([]);
    // Another target is not held up.
    const other = await launch('single-flight-demo', { target: `${target}-other` }, undefined, 'commander');
    await waitingApproval(other);
    await firebreak.as('responder').post(`/v1/executions/${first}/approve`, {});
    await firebreak.as('responder').post(`/v1/executions/${other}/approve`, {});
    expect((await finished(first)).status).toBe('completed');
    // Once released, the next run for the target leads again.
    const third = await launch('single-flight-demo', { target }, undefined, 'commander');
    await waitingApproval(third);
    await firebreak.as('responder').post(`/v1/executions/${third}/reject`, { comment: 'done testing' });
    expect((await finished(third)).outcome.result).toEqual({ released: false });
  });

  it('starts a triggered runbook once per incident, and its guardrail gives one action and pages after that, across a worker restart', async () => {
    const service = `svc-${firebreak.taskQueue}`;
    const alert = (key: string) => ({
      source: 'e2e',
      summary: `needs action ${key}`,
      status: 'firing',
      dedupKey: `${service}-${key}`,
      labels: { service, firebreak_test: 'guardrail' },
    });
    const executionsOf = async (incidentId: string) =>
      waitFor('the triggered runbook', async () => {
        const incident = (await firebreak.as('viewer').get(`/v1/incidents/${incidentId}`)).body;
        return incident.runbooks.length > 0 ? incident.runbooks : undefined;
      });

    // Incident 1: two matching alerts, one run, which acts.
    const first = await firebreak.as('responder').post('/v1/alerts', alert('one'));
    await firebreak.as('responder').post('/v1/alerts', alert('one'));
    const [run1] = await executionsOf(first.body.incidentId);
    expect((await finished(run1.executionId)).status).toBe('completed');
    expect((await firebreak.as('viewer').get(`/v1/incidents/${first.body.incidentId}`)).body.runbooks).toHaveLength(1);
    // The run reads completed before its workflow closes: it still releases its guardrail.
    // Stopping the worker before then would leave a leader still running, which later runs join.
    await temporal.workflow.getHandle(run1.executionId).result();

    await firebreak.stopWorker();
    const restarted = await TestFirebreak.start({ taskQueue: firebreak.taskQueue, operator: testOperatorConfig() });
    try {
      const outcomes: Array<{ status: string; steps: Step[] }> = [];
      for (const key of ['two', 'three']) {
        const answer = await restarted.as('responder').post('/v1/alerts', alert(key));
        const [run] = await executionsOf(answer.body.incidentId);
        outcomes.push(await finished(run.executionId));
      }
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['over-budget', 'over-budget']);
      const actions = [await read(run1.executionId), ...outcomes].flatMap((execution) =>
        execution.steps.filter((step: Step) => step.name === 'scaling.scaleService'),
      );
      const pages = outcomes.flatMap((execution) => execution.steps.filter((step: Step) => step.name === 'paging.page'));
      expect(actions).toHaveLength(1);
      expect(pages).toHaveLength(2);
    } finally {
      await restarted.stop();
    }
  });
});
