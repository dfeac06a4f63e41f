import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createFirebreakWorker } from '../apps/worker/src/worker';
import type { ExecutionSnapshot } from '../core/model/execution';
import { testRunbook } from '../core/model/runbook-testing';
import { loadConfig } from '../core/schemas/config';
import { loadIntegrationsConfig } from '../core/schemas/integrations-config';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from '../test/temporal';
import { GRAPH_USERS, startGraphStub, TEAMS_MESSAGE_LIMIT_BYTES, teamsSettings } from '../test/vendors/graph';
import { quietTemporalRuntime } from '../test/vendors/temporal-worker';
import type { runbookWorkflow } from '../workflows/runbook';
import kickoff from './major-incident-kickoff.runbook';

quietTemporalRuntime();

const input = { title: 'Checkout is down', service: 'checkout', responders: ['U1'] };

describe('major-incident-kickoff', () => {
  it('opens ticket, channel, room and status incident, and pages on-call, all for the incident', async () => {
    const run = await testRunbook(kickoff, {
      input,
      incident: { id: 'INC-9' },
      steps: { 'ticketing.createTicket': () => ({ key: 'OPS-1', url: 'https://tickets/OPS-1', created: true }) },
    });
    expect(run.steps.map((s) => s.name)).toEqual([
      'ticketing.createTicket',
      'chat.createChannel',
      'chat.invite',
      'chat.postMessage',
      'video.createMeeting',
      'chat.postMessage',
      'statusPage.openIncident',
      'paging.page',
    ]);
    for (const name of ['ticketing.createTicket', 'chat.createChannel', 'video.createMeeting', 'statusPage.openIncident', 'paging.page']) {
      expect(run.steps.find((s) => s.name === name)?.args).toMatchObject({ incidentId: 'INC-9' });
    }
    expect(run.steps.at(-1)?.args).toMatchObject({ dedupKey: 'kickoff:INC-9', targets: ['primary-on-call'] });
    expect(run.result).toMatchObject({ ticket: 'OPS-1', statusIncident: 'dry-run-status-incident' });
  });

  it('withdraws the status notice when paging fails', async () => {
    const run = await testRunbook(kickoff, {
      input,
      steps: {
        'paging.page': () => {
          throw new Error('pager refused');
        },
      },
    });
    expect(run.status).toBe('failed');
    expect(run.undone).toEqual(['statusPage.openIncident']);
    expect(run.steps.at(-1)).toMatchObject({ id: 'undo:statusPage.openIncident:statusPage.updateIncident', args: { status: 'resolved' } });
  });

  it('completes on Microsoft Teams chat and video: one standard channel, responders in the team, the meeting link posted by the bot, long names fitted', async () => {
    const graph = await startGraphStub();
    const client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
    const connection = await NativeConnection.connect({ address: sharedTemporalAddress() });
    const taskQueue = uniqueTaskQueue('kickoff-teams');
    const title = 'Checkout is down for every customer in the EU: card payments time out & <retries> pile up 💳. '.repeat(3).slice(0, 200);
    const service = 'Checkout Payments Gateway EU West '.repeat(5).slice(0, 150);
    try {
      // A bot posts only in standard channels.
      const env = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, ...teamsSettings(graph.stub.url), TEAMS_PUBLIC_CHANNELS: 'true' };
      const worker = await createFirebreakWorker({ config: loadConfig(env), connection, workflowBundle: workflowBundle(), integrations: loadIntegrationsConfig(env) });
      const execution: ExecutionSnapshot = await worker.runUntil(
        client.workflow.execute<typeof runbookWorkflow>('runbookWorkflow', {
          taskQueue,
          workflowId: `rbx-${taskQueue}`,
          args: [{ runbookId: 'major-incident-kickoff', input: { title, service, responders: [GRAPH_USERS.dana.id, GRAPH_USERS.lee.upn] }, launchedBy: 'test', trigger: 'manual' }],
        }),
      );
      expect(execution.status).toBe('completed');

      const channel = graph.channels.find((each) => each.displayName !== 'General')!;
      expect(channel.displayName.length).toBeLessThanOrEqual(50);
      expect(channel.displayName).toMatch(/^inc-Checkout Payments Gateway EU West.*… [0-9a-f]{6}$/);
      expect(channel.membershipType).toBe('standard');
      expect(graph.teamMembers).toEqual([GRAPH_USERS.owner.id, GRAPH_USERS.dana.id, GRAPH_USERS.lee.id]);
      const [announce, room] = channel.messages;
      expect(announce.text).toContain('& <retries> pile up 💳');
      expect(room).toMatchObject({ importance: 'high', text: `Video room: ${graph.meetings[0].joinWebUrl}`, from: { application: { applicationIdentityType: 'bot' } } });
      // Posted through the Bot Framework Connector, never through Graph.
      const posts = graph.stub.calls('bot.conversations.create');
      expect(posts.map((call) => call.body.channelData.channel.id)).toEqual([channel.id, channel.id]);
      for (const call of posts) expect(Buffer.byteLength(JSON.stringify(call.body), 'utf8')).toBeLessThanOrEqual(TEAMS_MESSAGE_LIMIT_BYTES);
      expect(graph.stub.calls('messages.post')).toHaveLength(0);
      expect(graph.meetings).toHaveLength(1);
      expect(graph.meetings[0].subject.length).toBeLessThanOrEqual(255);
      expect(execution.outcome?.result).toMatchObject({ channel: channel.id, meeting: graph.meetings[0].joinWebUrl });
      expect(graph.stub.count('channel.create')).toBe(1);
      expect(graph.stub.count('message.post')).toBe(2);
    } finally {
      await Promise.all([graph.stub.stop(), connection.close(), client.connection.close()]);
    }
  }, 60_000);
});
