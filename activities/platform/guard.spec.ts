import { Client, Connection } from '@temporalio/client';
import { guardWorkflowId } from '../../core/model/execution';
import { guardQuery } from '../../core/model/messages';
import type { runbookGuardWorkflow } from '../../workflows/runbook-guard';
import { TestFirebreak } from '../../test/firebreak';
import { sharedTemporalAddress } from '../../test/temporal';
import { createPlatformActivities } from '.';

describe('guardAcquire', () => {
  let firebreak: TestFirebreak;
  let client: Client;
  beforeAll(async () => {
    firebreak = await TestFirebreak.start();
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(async () => {
    await client.connection.close();
    await firebreak.stop();
  });

  it('lets go of a leader that is no longer running in the same update that decides, and follows one that is', async () => {
    const target = firebreak.taskQueue;
    const guardId = guardWorkflowId('guarded-action', target);
    // The guard still names a leader whose run is gone and whose release never arrived.
    await client.workflow.start<typeof runbookGuardWorkflow>('runbookGuardWorkflow', {
      workflowId: guardId,
      taskQueue: firebreak.taskQueue,
      args: [{ runbookId: 'guarded-action', target, active: 'rbx-gone', actions: [] }],
    });
    const { guardAcquire } = createPlatformActivities(client, firebreak.taskQueue);
    const input = { runbookId: 'guarded-action', target, singleFlight: true, budget: { max: 1, windowMinutes: 30 } };
    expect(await guardAcquire({ ...input, executionId: 'rbx-next' })).toMatchObject({ role: 'leader', allowed: true, used: 1 });
    expect((await client.workflow.getHandle(guardId).query(guardQuery)).active).toBe('rbx-next');

    // A leader that is running (any running workflow under that id) makes the next run a follower.
    const running = `${target}-running`;
    await client.workflow.start<typeof runbookGuardWorkflow>('runbookGuardWorkflow', {
      workflowId: running,
      taskQueue: firebreak.taskQueue,
      args: [{ runbookId: 'other', target: 'other', actions: [] }],
    });
    const secondGuard = guardWorkflowId('guarded-action', `${target}-2`);
    await client.workflow.start<typeof runbookGuardWorkflow>('runbookGuardWorkflow', {
      workflowId: secondGuard,
      taskQueue: firebreak.taskQueue,
      args: [{ runbookId: 'guarded-action', target: `${target}-2`, active: running, actions: [] }],
    });
    expect(await guardAcquire({ ...input, target: `${target}-2`, executionId: 'rbx-third' })).toEqual({ role: 'follower', leader: running });
  });
});
