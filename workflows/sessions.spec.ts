import { randomUUID } from 'node:crypto';
import { SESSIONS_WORKFLOW_TYPE, type SessionsWorkflowInput, sessionsWorkflowId } from '../core/model/sessions';
import { endSession, readEndedSessions } from '../temporal-client/sessions';
import { useTestWorker } from '../test/temporal';
import { waitFor } from '../test/wait';

const HOUR_MS = 60 * 60 * 1000;

describe('sessionsWorkflow (ended console sessions) through temporal-client/sessions', () => {
  const worker = useTestWorker('sessions');
  let taskQueue: string;

  // The workflow id names the deployment's task queue: each test takes a deployment of its own.
  beforeEach(() => {
    taskQueue = `${worker.taskQueue}-${randomUUID().slice(0, 8)}`;
  });

  const end = (id: string, issuedAt = Date.now(), expiresAt = issuedAt + 12 * HOUR_MS) =>
    endSession(worker.client, { taskQueue, end: { id, issuedAt, expiresAt } });
  /** Starts the deployment's workflow with `input`, on the worker's queue (as update-with-start would). */
  const startWith = (input: SessionsWorkflowInput) =>
    worker.client.workflow.start(SESSIONS_WORKFLOW_TYPE, { workflowId: sessionsWorkflowId(taskQueue), taskQueue: worker.taskQueue, args: [input] });

  it('reads nothing before the first sign-out, then holds each ended id once', async () => {
    expect(await readEndedSessions(worker.client, taskQueue)).toEqual({ ended: [] });
    await startWith({});
    const expiresAt = Date.now() + HOUR_MS;
    await end('session-a', Date.now(), expiresAt);
    await end('session-a', Date.now(), expiresAt);
    await end('session-b');
    const { ended } = await readEndedSessions(worker.client, taskQueue);
    expect(ended.map((session) => session.id)).toEqual(['session-a', 'session-b']);
    expect(ended[0].expiresAt).toBe(expiresAt);
  });

  it('refuses an end that is not a session, naming the rule', async () => {
    await startWith({});
    const why = (promise: Promise<unknown>) => promise.then(() => 'ended', (error: { cause?: { message?: string; type?: string } }) => error.cause);
    expect(await why(end('not a session id'))).toMatchObject({ type: 'SessionEndInvalid', message: expect.stringMatching(/^id must be/) });
    expect(await why(end('too-long-a-life', Date.now(), Date.now() + 200 * HOUR_MS))).toMatchObject({ message: expect.stringMatching(/168 hours/) });
    expect(await readEndedSessions(worker.client, taskQueue)).toEqual({ ended: [] });
  });

  it('drops an id at the next change after its session would have expired', async () => {
    await startWith({});
    const now = Date.now();
    const expiresAt = now + 1_000;
    await end('expires-soon', now - HOUR_MS, expiresAt);
    await waitFor('the short session to expire', () => Date.now() > expiresAt + 100);
    await end('lasts', now);
    const { ended } = await readEndedSessions(worker.client, taskQueue);
    expect(ended.map((session) => session.id)).toEqual(['lasts']);
  });

  it('past its bound, ends every session issued until then instead of growing', async () => {
    await startWith({ maxEnded: 2 });
    const issuedAt = Date.now() - HOUR_MS;
    for (const id of ['one', 'two']) await end(id, issuedAt);
    await end('three', issuedAt + 1);
    const state = await readEndedSessions(worker.client, taskQueue);
    expect(state.ended).toEqual([]);
    expect(state.endedBefore).toBeGreaterThan(issuedAt + 1);
  });

  it('carries what it holds across continue-as-new', async () => {
    await startWith({ historyLimit: 12 });
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await end(id);
    const { ended } = await readEndedSessions(worker.client, taskQueue);
    expect(ended.map((session) => session.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    await waitFor('a second run in visibility', async () => {
      const runs: string[] = [];
      for await (const run of worker.client.workflow.list({ query: `WorkflowId = '${sessionsWorkflowId(taskQueue)}'` })) runs.push(run.runId);
      return runs.length > 1;
    });
  });
});
