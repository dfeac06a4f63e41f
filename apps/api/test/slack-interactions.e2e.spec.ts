/**
 * Buttons on Firebreak's Slack messages, pressed as Slack sends presses: the header's
 * Acknowledge / Resolve (from a header the kickoff posted on the Slack stub) and an approval
 * request's Approve / Reject; forged, stale and replayed requests refused with nothing
 * changed; a Slack retry acting once; users Firebreak does not know, or without the role,
 * refused in an ephemeral answer.
 */
import { waitFor } from '../../../test/wait';
import { interactionBody, postSigned, SLACK_USERS, slackHeaders, triggerId, useSlackFirebreak } from './slack-requests';

const INTERACTIONS = '/v1/chat/slack/interactions';
const { dana: DANA, admin: ADMIN, viewer: VIEWER, stranger: STRANGER } = SLACK_USERS;

type Message = { ts: string; text: string; blocks?: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };

describe('Slack buttons', () => {
  const e2e = useSlackFirebreak();

  const incident = async (id: string) => (await e2e.firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;
  const buttons = (message: Message) => message.blocks?.find((block) => block.type === 'actions')?.elements ?? [];

  /** An incident whose kickoff opened a Slack channel: the incident, its channel's messages, and its header. */
  async function incidentWithChannel(title: string) {
    const responder = e2e.firebreak.as('responder');
    const { body: declared } = await responder.post('/v1/incidents', { title, severity: 'SEV2', service: 'search' });
    await responder.post('/v1/runbooks/major-incident-kickoff/executions', { input: { title, service: 'search' }, incidentId: declared.id });
    const chat = await waitFor('the kickoff to open the channel and post the header', async () => (await incident(declared.id)).chat?.headerTs ? (await incident(declared.id)).chat : undefined);
    const messages = () => (e2e.slack.channels.find((channel) => channel.id === chat.channelId)?.messages ?? []) as Message[];
    const header = () => messages().find((message) => message.ts === chat.headerTs)!;
    return { id: declared.id as string, channelId: chat.channelId as string, messages, header };
  }

  /** Presses `button` as `user`; the response URL the press carries. */
  async function press(user: string, button: { action_id: string; value?: string }, options: { trigger?: string; retry?: number; channel?: string } = {}) {
    const responseUrl = e2e.slack.responseUrl('actions');
    const body = interactionBody({ user, actionId: button.action_id, value: button.value, responseUrl, triggerId: options.trigger ?? triggerId(), channel: options.channel });
    const answer = await postSigned(e2e.api, INTERACTIONS, body, { retry: options.retry });
    return { answer, responseUrl, body };
  }
  const answerTo = (responseUrl: string) => waitFor('the answer through response_url', () => e2e.slack.responsesTo(responseUrl)[0]);

  it('refuses forged, stale, future and replayed presses with 401, and a press from the header acknowledges', async () => {
    const { id, header, channelId } = await incidentWithChannel('Search is down');
    const acknowledge = buttons(header()).find((button) => button.action_id === 'incident.acknowledge')!;
    expect(acknowledge.value).toBe(id);

    const responseUrl = e2e.slack.responseUrl('actions');
    const body = interactionBody({ user: DANA, actionId: acknowledge.action_id, value: acknowledge.value, responseUrl, triggerId: triggerId(), channel: channelId });
    // Six minutes either side: the window's exact edges are slack-signature.spec's (a fixed
    // clock); here a slow machine's seconds between requests must not carry a press inside it.
    const seconds = () => Math.floor(Date.now() / 1000);
    const refused = [
      await postSigned(e2e.api, INTERACTIONS, body, { secret: 'another-signing-secret-0000' }),
      await postSigned(e2e.api, INTERACTIONS, body, { timestamp: seconds() - 360 }),
      await postSigned(e2e.api, INTERACTIONS, body, { timestamp: seconds() + 360 }),
      await postSigned(e2e.api, INTERACTIONS, body, { signature: 'v0=' + '0'.repeat(64) }),
      await e2e.api.post(INTERACTIONS, body, { 'content-type': 'application/x-www-form-urlencoded' }),
      // Signed, then changed on the way: another user pressing.
      await e2e.api.post(INTERACTIONS, body.replace(DANA, ADMIN), slackHeaders(body)),
    ];
    expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(refused[1].body.message).toMatch(/more than 5 minutes/);
    expect(e2e.slack.responsesTo(responseUrl)).toEqual([]);
    expect((await incident(id)).status).toBe('triggered');

    const signedAt = seconds();
    const pressed = await postSigned(e2e.api, INTERACTIONS, body, { timestamp: signedAt });
    expect(pressed.status).toBe(200);
    expect(pressed.text).toBe('');
    expect((await answerTo(responseUrl)).text).toMatch(new RegExp(`^Acknowledged ${id} \\(now acknowledged, SEV2\\), as Dana Ortiz\\.$`));
    expect(e2e.slack.responsesTo(responseUrl)[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    const acknowledged = await incident(id);
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.timeline.some((entry: { kind: string; actor: string }) => entry.kind === 'status' && entry.actor === 'Dana Ortiz')).toBe(true);
    await waitFor('the header to drop Acknowledge', () => buttons(header()).map((button) => button.action_id).join() === 'incident.resolve');

    // The same request again (same timestamp, same signature): a replay.
    const replayed = await postSigned(e2e.api, INTERACTIONS, body, { timestamp: signedAt });
    expect(replayed.status).toBe(401);
    expect(replayed.body.message).toMatch(/replay/);
    expect(e2e.slack.responsesTo(responseUrl)).toHaveLength(1);
  });

  it('acts once on a Slack retry of the same press', async () => {
    const { id, header } = await incidentWithChannel('Search is slow');
    const resolve = buttons(header()).find((button) => button.action_id === 'incident.resolve')!;
    const trigger = triggerId();
    const first = await press(DANA, resolve, { trigger });
    expect(first.answer.status).toBe(200);
    // Slack's retry of it: a new timestamp and signature, the same trigger; then the retry once more, byte for byte.
    const retryAt = Math.floor(Date.now() / 1000);
    const retried = await postSigned(e2e.api, INTERACTIONS, first.body, { retry: 1, timestamp: retryAt });
    const retriedAgain = await postSigned(e2e.api, INTERACTIONS, first.body, { retry: 2, timestamp: retryAt });
    expect([retried.status, retriedAgain.status]).toEqual([200, 200]);

    expect((await answerTo(first.responseUrl)).text).toMatch(new RegExp(`^Resolved ${id} \\(now resolved`));
    const resolved = await incident(id);
    expect(resolved.timeline.filter((entry: { kind: string; summary: string }) => entry.kind === 'status' && /resolved/i.test(entry.summary))).toHaveLength(1);
    // Both retries were answered before the outcome was posted, and started nothing that could post another.
    expect(e2e.slack.responsesTo(first.responseUrl)).toHaveLength(1);
  });

  it('refuses a Slack user it does not know, or one without the role, and changes nothing; leaves link buttons alone', async () => {
    const { id, header } = await incidentWithChannel('Search is flaky');
    const acknowledge = buttons(header()).find((button) => button.action_id === 'incident.acknowledge')!;
    // A notification's link button (no value) opens its page: Firebreak has nothing to do or say.
    const link = await press(DANA, { action_id: 'firebreak_ack' });
    expect(link.answer.status).toBe(200);
    const stranger = await press(STRANGER, acknowledge);
    const viewer = await press(VIEWER, acknowledge);
    expect([stranger.answer.status, viewer.answer.status]).toEqual([200, 200]);
    expect((await answerTo(stranger.responseUrl)).text).toMatch(/does not know your Slack user, so nothing was done/);
    expect((await answerTo(viewer.responseUrl)).text).toBe('Not allowed: acknowledge an incident needs the incident.acknowledge right (responder, commander, admin); "watcher" is viewer. Nothing was done.');
    expect(e2e.slack.responsesTo(viewer.responseUrl)[0].response_type).toBe('ephemeral');
    expect((await incident(id)).status).toBe('triggered');

    // By the time both refusals arrived, the link button pressed first has long had its (empty) turn.
    expect(e2e.slack.responsesTo(link.responseUrl)).toEqual([]);
  });

  it('lets a run waiting for approval continue once approved from Slack, by someone with the approver role', async () => {
    const { id, messages } = await incidentWithChannel('Search index corrupt');
    const launched = await e2e.firebreak.as('responder').post('/v1/runbooks/approval-demo/executions', { input: {}, incidentId: id });
    const request = await waitFor('the approval request with its buttons', () => messages().find((message) => message.text.includes('waiting for approval')));
    const approve = buttons(request).find((button) => button.action_id === 'execution.approve')!;
    expect(approve.value).toBe(launched.body.id);

    // approval-demo asks for an admin: Dana (a responder) is refused with the engine's reason.
    const byDana = await press(DANA, approve);
    expect((await answerTo(byDana.responseUrl)).text).toBe(`Could not approve ${launched.body.id}: only admin keys may decide this approval; yours is responder.`);
    expect((await e2e.firebreak.as('viewer').get(`/v1/executions/${launched.body.id}`)).body.status).toBe('waiting-approval');

    const byAdmin = await press(ADMIN, approve);
    expect((await answerTo(byAdmin.responseUrl)).text).toBe(`Approved ${launched.body.id}, as ops-admin.`);
    const done = await waitFor('the run to finish', async () => {
      const { body } = await e2e.firebreak.as('viewer').get(`/v1/executions/${launched.body.id}`);
      return body.status === 'completed' ? body : undefined;
    });
    expect(done.outcome.result).toMatchObject({ outcome: 'approved', by: 'ops-admin' });

    // Pressed again: nothing is waiting any more, and Slack says so (the API's 409 reason).
    const again = await press(ADMIN, approve);
    expect((await answerTo(again.responseUrl)).text).toMatch(new RegExp(`^Could not approve ${launched.body.id}: `));
  });

  it('answers 404 without SLACK_SIGNING_SECRET', async () => {
    const body = interactionBody({ user: DANA, actionId: 'incident.acknowledge', value: 'inc-000000000000', responseUrl: e2e.slack.responseUrl('actions'), triggerId: triggerId() });
    const answer = await postSigned(e2e.firebreak.http, INTERACTIONS, body);
    expect(answer.status).toBe(404);
  });
});
