/**
 * Exactly once across a crash: the real worker, in a process of its own, runs the shipped
 * major-incident-kickoff runbook (workflows/runbook.ts) with Jira as its ticketing. Jira
 * creates the ticket, and the worker is SIGKILLed before it hears back. A restarted worker
 * retries the step once Temporal times the lost attempt out; the runbook completes, and Jira
 * holds exactly one ticket.
 */
import { Client, Connection } from '@temporalio/client';
import type { ExecutionSnapshot } from '../core/model/execution';
import { sharedTemporalAddress, uniqueTaskQueue } from '../test/temporal';
import { spawnTypeScript, type TypeScriptChild } from '../test/vendors/child-process';
import { jiraSettings, startJiraStub } from '../test/vendors/jira';
import { firebreakWorkerFromEnv, quietTemporalRuntime } from '../test/vendors/temporal-worker';
import { waitFor } from '../test/wait';
import type { runbookWorkflow } from '../workflows/runbook';

quietTemporalRuntime();

describe('a worker SIGKILLed in the middle of a runbook step', () => {
  let client: Client;
  let jira: Awaited<ReturnType<typeof startJiraStub>>;
  let child: TypeScriptChild | undefined;

  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    jira = await startJiraStub('OPS');
  });
  afterAll(async () => {
    await child?.kill();
    await jira?.stub.stop();
    await client?.connection.close();
  });

  it('after Jira acted: restarted, the runbook completes and Jira holds exactly one ticket', async () => {
    const taskQueue = uniqueTaskQueue('worker-kill');
    const env = {
      TEMPORAL_ADDRESS: sharedTemporalAddress(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...jiraSettings(jira.stub.url),
    };
    // Jira creates the issue and never answers; the worker waits for the answer until killed.
    jira.stub.fail('createIssue', 'act-then-hang');
    child = spawnTypeScript(require.resolve('../test/vendors/worker-process.ts'), { ...env, INTEGRATIONS_TIMEOUT_MS: '120000' });
    await child.ready;

    const handle = await client.workflow.start<typeof runbookWorkflow>('runbookWorkflow', {
      taskQueue,
      workflowId: `rbx-${taskQueue}`,
      args: [{ runbookId: 'major-incident-kickoff', input: { title: 'Checkout is down', service: 'checkout' }, launchedBy: 'test', trigger: 'manual' }],
    });
    await waitFor('Jira to create the ticket', () => jira.stub.count('issue.create') === 1, { timeoutMs: 30_000 });
    await child.kill();

    const { worker, connection } = await firebreakWorkerFromEnv(env);
    const execution: ExecutionSnapshot = await worker.runUntil(handle.result());
    await connection.close();

    expect(execution.status).toBe('completed');
    expect(execution.outcome?.result).toMatchObject({ ticket: 'OPS-1' });
    expect(execution.steps.find((step) => step.id === 'ticketing.createTicket')).toMatchObject({ status: 'completed', result: { key: 'OPS-1', created: false } });
    expect(jira.stub.count('issue.create')).toBe(1);
    expect(jira.stub.calls('createIssue')).toHaveLength(1);
    // The retried attempt found the ticket by its step label instead of creating another.
    expect(jira.stub.calls('searchJql').length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
