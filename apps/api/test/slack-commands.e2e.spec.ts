/**
 * Slash commands, sent as Slack sends them (signed form posts) to a Slack-enabled API beside
 * a test Firebreak whose chat adapter is Slack (the stub): `/incident declare|ack|note|status`
 * and `/runbook run` with its plan and Run button. Each is answered at once; the outcome
 * follows through the response URL. The time to each answer is printed, as information only.
 */
import { Client, Connection } from '@temporalio/client';
import { waitFor } from '../../../test/wait';
import { commandBody, interactionBody, postSigned, SLACK_OPERATOR, SLACK_USERS, type SlackAnswer, startSlackApi, triggerId, useSlackFirebreak } from './slack-requests';

const ELSEWHERE = 'C0GENERAL';
const COMMANDS = '/v1/chat/slack/commands';
const INTERACTIONS = '/v1/chat/slack/interactions';
const { dana: DANA, admin: ADMIN, viewer: VIEWER, stranger: STRANGER } = SLACK_USERS;

describe('Slack slash commands', () => {
  const e2e = useSlackFirebreak();
  let temporal: Client;
  /** Time to each command's HTTP 200, by command: information, not a check. */
  const answerTimes: Array<{ command: string; ms: number }> = [];

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: e2e.firebreak.config.temporal.address }) });
  });
  afterAll(async () => {
    if (answerTimes.length > 0) {
      const sorted = answerTimes.map(({ ms }) => ms).sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
      console.log(
        `Slash-command answer times (HTTP 200), ${sorted.length} commands: median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms\n` +
          answerTimes.map(({ command, ms }) => `  ${ms.toFixed(1)} ms  ${command}`).join('\n'),
      );
    }
    await temporal?.connection.close();
  });

  /** Sends `/<command> <text>` as `user` in `channel`; the answer, and the response URL the outcome goes to. */
  async function slash(command: string, text: string, options: { user?: string; channel?: string; trigger?: string; retry?: number } = {}) {
    const responseUrl = e2e.slack.responseUrl('commands');
    const body = commandBody({ command, text, user_id: options.user ?? DANA, channel_id: options.channel ?? ELSEWHERE, response_url: responseUrl, trigger_id: options.trigger ?? triggerId() });
    const answer = await postSigned(e2e.api, COMMANDS, body, { retry: options.retry });
    answerTimes.push({ command: `${command} ${text.slice(0, 50)}`, ms: answer.ms });
    return { answer, responseUrl, body };
  }
  const outcome = (responseUrl: string): Promise<SlackAnswer> => waitFor('the outcome through response_url', () => e2e.slack.responsesTo(responseUrl)[0] as SlackAnswer | undefined);
  const incident = async (id: string) => (await e2e.firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;

  /** An incident whose kickoff opened a Slack channel, once visibility lists it by that channel. */
  async function incidentWithChannel(title: string): Promise<{ id: string; channelId: string }> {
    const responder = e2e.firebreak.as('responder');
    const { body: declared } = await responder.post('/v1/incidents', { title, severity: 'SEV2', service: 'search' });
    await responder.post('/v1/runbooks/major-incident-kickoff/executions', { input: { title, service: 'search' }, incidentId: declared.id });
    const channelId: string = await waitFor('the kickoff to open the channel', async () => (await incident(declared.id)).chat?.channelId);
    await waitFor('the incident listed by its channel', async () => {
      for await (const run of temporal.workflow.list({ query: `FirebreakChatChannel = '${channelId}'` })) return run.workflowId === declared.id;
      return false;
    });
    return { id: declared.id, channelId };
  }

  it('declares an incident, once however often Slack retries, in the channel', async () => {
    const trigger = triggerId();
    const first = await slash('/incident', 'declare Checkout is down sev2', { trigger });
    expect(first.answer.status).toBe(200);
    expect(first.answer.body).toEqual({ response_type: 'ephemeral', text: 'Declaring "Checkout is down"…', replace_original: false });
    const declared = await outcome(first.responseUrl);
    expect(declared).toMatchObject({ response_type: 'in_channel' });
    const id = /^Dana Ortiz declared (inc-[0-9a-f]{12}): \[SEV2\] Checkout is down$/.exec(declared.text ?? '')?.[1];
    expect(id).toBeDefined();
    expect(await incident(id!)).toMatchObject({ title: 'Checkout is down', severity: 'SEV2', status: 'triggered' });

    // Slack's retry, freshly signed: answered, and nothing done again.
    const retried = await postSigned(e2e.api, COMMANDS, first.body, { retry: 1 });
    expect(retried.status).toBe(200);
    expect(retried.text).toBe('');
    expect(e2e.slack.responsesTo(first.responseUrl)).toHaveLength(1);
    const listed = await e2e.firebreak.as('viewer').get('/v1/incidents?pageSize=500');
    expect(listed.body.incidents.filter((entry: { title?: string }) => entry.title === 'Checkout is down')).toHaveLength(1);

    const untitled = await slash('/incident', 'declare SEV1');
    expect(untitled.answer.body.text).toMatch(/^Not understood: say what is wrong/);
    const tooLong = await slash('/incident', `declare ${'x'.repeat(300)}`);
    expect(tooLong.answer.body.text).toMatch(/^Not declared: title: at most 200 bytes/);
  });

  it('acknowledges, notes and reports the status of the channel\'s incident, as the Slack user', async () => {
    const { id, channelId } = await incidentWithChannel('Search is down');
    const ack = await slash('/incident', 'ack', { channel: channelId });
    expect(ack.answer.body.text).toBe('Working on it…');
    expect((await outcome(ack.responseUrl)).text).toBe(`Acknowledged ${id} (now acknowledged, SEV2), as Dana Ortiz.`);

    const note = await slash('/incident', 'note Rolling back search 7.2 <!channel>', { channel: channelId });
    expect((await outcome(note.responseUrl)).text).toBe(`Noted on ${id} (now acknowledged, SEV2), as Dana Ortiz.`);
    const timeline = (await incident(id)).timeline as Array<{ kind: string; actor: string; summary: string }>;
    expect(timeline.filter((entry) => entry.actor === 'Dana Ortiz').map((entry) => entry.kind)).toEqual(['status', 'note']);
    expect(timeline.find((entry) => entry.kind === 'note')?.summary).toContain('Rolling back search 7.2 <!channel>');

    const status = await slash('/incident', 'status', { channel: channelId, user: VIEWER });
    const said = (await outcome(status.responseUrl)).text!;
    expect(said).toContain(`${id} [SEV2] Search is down`);
    expect(said).toContain('Status: acknowledged');

    // Outside an incident channel: a hint for ack; the open incidents for status.
    const lost = await slash('/incident', 'ack', { channel: ELSEWHERE });
    expect((await outcome(lost.responseUrl)).text).toMatch(/^This channel is not an incident's channel/);
    const overview = await slash('/incident', 'status', { channel: ELSEWHERE });
    expect((await outcome(overview.responseUrl)).text).toMatch(new RegExp(`^Open incidents:[\\s\\S]*${id} \\[SEV2\\] Search is down · acknowledged`));
    expect((await incident(id)).status).toBe('acknowledged');
  });

  it('refuses at once a user it does not know, or one without the role, and changes nothing', async () => {
    const { id, channelId } = await incidentWithChannel('Search is slow');
    const stranger = await slash('/incident', 'ack', { user: STRANGER, channel: channelId });
    expect(stranger.answer.status).toBe(200);
    expect(stranger.answer.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/does not know your Slack user, so nothing was done/) });
    const viewer = await slash('/incident', 'resolve', { user: VIEWER, channel: channelId });
    expect(viewer.answer.body.text).toBe('Not allowed: resolve an incident needs the incident.resolve right (responder, commander, admin); "watcher" is viewer. Nothing was done.');
    const run = await slash('/runbook', 'run service-health-check cluster=prod service=search', { user: VIEWER, channel: channelId });
    expect(run.answer.body.text).toMatch(/needs the runbook\.launch right \(responder, commander, admin\); "watcher" is viewer/);
    const unknown = await slash('/incident', 'dance');
    expect(unknown.answer.body.text).toMatch(/^Not understood: no such command "dance"/);
    expect([...e2e.slack.responsesTo(stranger.responseUrl), ...e2e.slack.responsesTo(viewer.responseUrl), ...e2e.slack.responsesTo(run.responseUrl)]).toEqual([]);
    expect((await incident(id)).status).toBe('triggered');
  });

  it('plans /runbook run with a Run button that starts the execution once, for the channel\'s incident', async () => {
    const { id, channelId } = await incidentWithChannel('Search pods hot');
    const planned = await slash('/runbook', 'run scale-out-on-high-cpu cluster=prod service=search-from-slack step=2 waitMinutes=0', { channel: channelId });
    expect(planned.answer.body.text).toBe('Planning Scale out on high CPU…');
    const plan = await outcome(planned.responseUrl);
    expect(plan.text).toMatch(/^Plan of Scale out on high CPU \(scale-out-on-high-cpu\) for inc-[0-9a-f]{12}, from dry run rbx-[0-9a-f]{12}:\n1\. scaling\.describeService /);
    expect(plan.text).toContain('2. scaling.scaleService');
    const run = plan.blocks?.find((block) => block.type === 'actions')?.elements?.[0];
    expect(run?.action_id).toBe('runbook.run');
    expect(JSON.parse(run!.value)).toEqual({ runbook: 'scale-out-on-high-cpu', input: { cluster: 'prod', service: 'search-from-slack', step: 2, waitMinutes: 0 }, incident: id });

    // Scaling out is destructive: Dana (a responder) may plan it, an admin runs it.
    const refusedUrl = e2e.slack.responseUrl('actions');
    const refusedPress = interactionBody({ user: DANA, actionId: run!.action_id, value: run!.value, responseUrl: refusedUrl, triggerId: triggerId(), channel: channelId });
    expect((await postSigned(e2e.api, INTERACTIONS, refusedPress)).status).toBe(200);
    expect((await outcome(refusedUrl)).text).toMatch(/^Not allowed: .* needs the runbook\.launch-destructive right \(commander, admin\); "Dana Ortiz" is responder\. Nothing was done\.$/);

    const trigger = triggerId();
    const pressUrl = e2e.slack.responseUrl('actions');
    const press = interactionBody({ user: ADMIN, actionId: run!.action_id, value: run!.value, responseUrl: pressUrl, triggerId: trigger, channel: channelId });
    expect((await postSigned(e2e.api, INTERACTIONS, press)).status).toBe(200);
    const started = await outcome(pressUrl);
    expect(started).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const executionId = /started Scale out on high CPU \((rbx-[0-9a-f]{12})\) for inc-/.exec(started.text ?? '')?.[1];
    expect(executionId).toBeDefined();

    // Slack's retry of the press, and the same press reaching another API replica (which has not seen it): one execution.
    expect((await postSigned(e2e.api, INTERACTIONS, press, { retry: 1 })).status).toBe(200);
    const replica = await startSlackApi(e2e.firebreak, SLACK_OPERATOR, e2e.slack.stub.url);
    try {
      const elsewhereUrl = e2e.slack.responseUrl('actions');
      const samePress = interactionBody({ user: ADMIN, actionId: run!.action_id, value: run!.value, responseUrl: elsewhereUrl, triggerId: trigger, channel: channelId });
      expect((await postSigned(replica.api, INTERACTIONS, samePress)).status).toBe(200);
      expect((await outcome(elsewhereUrl)).text).toContain(`(${executionId})`);
    } finally {
      await replica.app.close();
    }
    const execution = await waitFor('the run to finish', async () => {
      const { body } = await e2e.firebreak.as('viewer').get(`/v1/executions/${executionId}`);
      return body.status === 'completed' ? body : undefined;
    });
    expect(execution).toMatchObject({ runbookId: 'scale-out-on-high-cpu', incidentId: id, dryRun: false, launchedBy: 'ops-admin' });
    const runs = await waitFor('the incident timeline to show the run', async () => {
      const entries = ((await incident(id)).timeline as Array<{ kind: string; summary: string }>).filter(
        (entry) => entry.kind === 'runbook' && /^Scale out on high CPU: started/.test(entry.summary),
      );
      return entries.length > 0 ? entries : undefined;
    });
    expect(runs).toHaveLength(1);
  });

  it('refuses input that breaks the runbook\'s schema, an unknown runbook, and a Run button too long for Slack', async () => {
    const bad = await slash('/runbook', 'run scale-out-on-high-cpu cluster=prod step=0');
    expect(bad.answer.body.text).toMatch(/^The input does not fit scale-out-on-high-cpu: input\.service: .*; input\.step: /);
    const unknown = await slash('/runbook', 'run no-such-runbook');
    expect(unknown.answer.body.text).toMatch(/^There is no runbook "no-such-runbook"\. Runbooks: .*scale-out-on-high-cpu/);
    const long = await slash('/runbook', `run status-page-update stage=identified service=checkout details="${'d'.repeat(1990)}"`);
    expect(long.answer.body.text).toBe('Planning Status page update…');
    expect((await outcome(long.responseUrl)).text).toMatch(/^The input is too long for a Run button \(\d{4} characters; Slack takes 2000\)/);
    expect(e2e.slack.responsesTo(bad.responseUrl)).toEqual([]);
  });
});
