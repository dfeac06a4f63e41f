import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { TestFirebreak } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { slackSettings, startSlackStub } from '../vendors/slack';
import { waitFor } from '../wait';

type Message = { ts: string; text: string; pinned?: boolean; blocks?: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }> };

/**
 * The incident's chat channel follows the incident, on the real worker with the Slack
 * adapter against the Slack stub: the header is posted once (pinned, with buttons) and
 * updated in place; the entries that matter are posted once each, in order; an approval
 * request comes with Approve / Reject.
 */
describe('the chat channel follows the incident', () => {
  let slack: Awaited<ReturnType<typeof startSlackStub>>;
  let firebreak: TestFirebreak;
  beforeAll(async () => {
    slack = await startSlackStub();
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig(), integrations: loadIntegrationsConfig(slackSettings(slack.stub.url)) });
  });
  afterAll(async () => {
    await firebreak?.stop();
    await slack?.stub.stop();
  });

  const buttonsOf = (message: Message) => message.blocks?.find((block) => block.type === 'actions')?.elements?.map((element) => element.action_id) ?? [];

  it('posts a header kept current and each entry that matters once, with Approve / Reject on an approval request', async () => {
    const responder = firebreak.as('responder');
    const { body: declared } = await responder.post('/v1/incidents', { title: 'Search is down', severity: 'SEV2', service: 'search' });
    const started = await responder.post('/v1/runbooks/major-incident-kickoff/executions', { input: { title: 'Search is down', service: 'search' }, incidentId: declared.id });
    expect(started.status).toBe(201);

    const channel = await waitFor('the incident to follow its channel', async () => {
      const { body } = await firebreak.as('viewer').get(`/v1/incidents/${declared.id}`);
      return body.chat?.headerTs ? body.chat : undefined;
    });
    const messages = () => (slack.channels.find((entry) => entry.id === channel.channelId)?.messages ?? []) as Message[];
    const header = () => messages().find((message) => message.ts === channel.headerTs)!;
    expect(header().text).toContain('Status: triggered');
    expect(header().pinned).toBe(true);
    expect(buttonsOf(header())).toEqual(['incident.acknowledge', 'incident.resolve']);

    expect((await responder.post(`/v1/incidents/${declared.id}/actions`, { action: 'acknowledge' })).status).toBe(200);
    await waitFor('the header to show the acknowledgement', async () => header().text.includes('Status: acknowledged'));
    expect(buttonsOf(header())).toEqual(['incident.resolve']);
    await waitFor('the acknowledgement to be posted', async () => messages().some((message) => /Acknowledged: triggered → acknowledged/.test(message.text)));

    const approval = await responder.post('/v1/runbooks/approval-demo/executions', { input: {}, incidentId: declared.id });
    const request = await waitFor('the approval request to be posted', async () => messages().find((message) => message.text.includes('waiting for approval')));
    expect(buttonsOf(request)).toEqual(['execution.approve', 'execution.reject']);
    expect(request.blocks?.find((block) => block.type === 'actions')?.elements?.[0].value).toBe(approval.body.id);

    await responder.post(`/v1/incidents/${declared.id}/actions`, { action: 'add-note', text: 'Rolling back search 7.2' });
    await waitFor('the note to be posted', async () => messages().some((message) => message.text.includes('Rolling back search 7.2')));
    // Each entry once, in the order of the timeline; the header was updated, never posted again.
    const texts = messages().map((message) => message.text);
    expect(texts.filter((text) => text.includes('Rolling back search 7.2'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('Firebreak incident'))).toHaveLength(1);
    expect(texts.findIndex((text) => /Acknowledged/.test(text))).toBeLessThan(texts.findIndex((text) => text.includes('Rolling back search 7.2')));
    expect(slack.stub.count('message.update')).toBeGreaterThanOrEqual(1);
  });
});
