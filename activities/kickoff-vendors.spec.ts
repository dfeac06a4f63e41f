/**
 * The shipped major-incident-kickoff runbook with a 200-character title and a 150-character
 * service, on the built-in adapters and on the real Slack, Zoom and Jira adapters (against
 * their stubs, which refuse what the vendors refuse): every step fits its vendor.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createFirebreakWorker } from '../apps/worker/src/worker';
import { loadConfig } from '../core/schemas/config';
import type { ExecutionSnapshot } from '../core/model/execution';
import { loadIntegrationsConfig } from '../core/schemas/integrations-config';
import { sharedTemporalAddress, uniqueTaskQueue, workflowBundle } from '../test/temporal';
import { jiraSettings, startJiraStub } from '../test/vendors/jira';
import { slackSettings, startSlackStub } from '../test/vendors/slack';
import { quietTemporalRuntime } from '../test/vendors/temporal-worker';
import { startZoomStub, zoomSettings } from '../test/vendors/zoom';
import type { runbookWorkflow } from '../workflows/runbook';

quietTemporalRuntime();

const title = 'Checkout is down for every customer in the EU: card payments time out & <retries> pile up. '.repeat(3).slice(0, 200);
const service = 'Checkout Payments Gateway EU West '.repeat(5).slice(0, 150);

describe('major-incident-kickoff with long titles and service names', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connection: await Connection.connect({ address: sharedTemporalAddress() }) });
  });
  afterAll(() => client.connection.close());

  async function kickoff(settings: Record<string, string>): Promise<ExecutionSnapshot> {
    const taskQueue = uniqueTaskQueue('kickoff-fit');
    const env = { TEMPORAL_ADDRESS: sharedTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, VIDEO_ROOM_SECRET: 'kickoff-spec-room-secret', ...settings };
    const connection = await NativeConnection.connect({ address: sharedTemporalAddress() });
    try {
      const worker = await createFirebreakWorker({ config: loadConfig(env), connection, workflowBundle: workflowBundle(), integrations: loadIntegrationsConfig(env) });
      return await worker.runUntil(
        client.workflow.execute<typeof runbookWorkflow>('runbookWorkflow', {
          taskQueue,
          workflowId: `rbx-${taskQueue}`,
          args: [{ runbookId: 'major-incident-kickoff', input: { title, service, responders: ['U1'] }, launchedBy: 'test', trigger: 'manual' }],
        }),
      );
    } finally {
      await connection.close();
    }
  }

  it('completes on the built-in adapters, with a private room link', async () => {
    expect(title).toHaveLength(200);
    const execution = await kickoff({});
    expect(execution.status).toBe('completed');
    expect(execution.outcome?.result).toMatchObject({ meeting: expect.stringMatching(/^https:\/\/meet\.jit\.si\/firebreak-.+-[0-9a-f]{32}$/) });
  }, 60_000);

  it('completes on Slack, Zoom and Jira, each field fitted and escaped for its vendor', async () => {
    const [slack, zoom, jira] = await Promise.all([startSlackStub(), startZoomStub(), startJiraStub('OPS')]);
    try {
      const execution = await kickoff({ ...slackSettings(slack.stub.url), ...zoomSettings(zoom.stub.url), ...jiraSettings(jira.stub.url) });
      expect(execution.status).toBe('completed');

      const issue = jira.stub.calls('createIssue')[0].body.fields;
      expect(issue.summary).toBe(`[SEV1] ${title}`);
      expect(issue.labels).toContain(`service-${service.trim().replace(/\s+/g, '-')}`);

      const [channel] = slack.channels;
      expect(channel.name.length).toBeLessThanOrEqual(80);
      expect(channel.name).toMatch(/^inc-checkout-payments-gateway-eu-west-/);
      expect(channel.is_private).toBe(true);
      expect(channel.topic.value.length).toBeLessThanOrEqual(250);
      const [announce, room] = channel.messages;
      expect(announce.text).toContain('&amp; &lt;retries&gt; pile up');
      expect(room).toMatchObject({ pinned: true, text: expect.stringContaining('https://zoom.example/j/') });

      const meeting = zoom.stub.calls('createMeeting')[0].body;
      expect(meeting.topic).toHaveLength(200);
      expect(meeting).toMatchObject({ password: expect.any(String), settings: { waiting_room: true, join_before_host: false } });
    } finally {
      await Promise.all([slack.stub.stop(), zoom.stub.stop(), jira.stub.stop()]);
    }
  }, 60_000);
});
