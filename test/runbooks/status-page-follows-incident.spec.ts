import { loadIntegrationsConfig } from '../../core/schemas/integrations-config';
import { TestFirebreak } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { jiraSettings, startJiraStub } from '../vendors/jira';
import { slackSettings, startSlackStub } from '../vendors/slack';
import { startStatuspageStub, statuspageSettings } from '../vendors/statuspage';
import { startZoomStub, zoomSettings } from '../vendors/zoom';
import { waitFor } from '../wait';

type Entry = { kind: string; summary: string };

/**
 * The incident's one status-page incident, end to end on the real worker: a kickoff opens
 * it and the incident records it; a second kickoff and the status-page-update runbook update
 * it; resolving the incident resolves it once. On the local status page, and with every
 * kickoff vendor on its real client against its stub (Jira, Slack, Zoom, Statuspage).
 */
describe.each(['local', 'vendor stubs'] as const)('the status page follows the incident (%s)', (variant) => {
  let firebreak: TestFirebreak;
  let stubs: { statuspage: Awaited<ReturnType<typeof startStatuspageStub>>; stop: () => Promise<unknown> } | undefined;

  beforeAll(async () => {
    let env: Record<string, string> = {};
    if (variant === 'vendor stubs') {
      const [statuspage, jira, slack, zoom] = await Promise.all([startStatuspageStub(), startJiraStub('OPS'), startSlackStub(), startZoomStub()]);
      stubs = { statuspage, stop: () => Promise.all([statuspage.stub.stop(), jira.stub.stop(), slack.stub.stop(), zoom.stub.stop()]) };
      env = { ...statuspageSettings(statuspage.stub.url), ...jiraSettings(jira.stub.url), ...slackSettings(slack.stub.url), ...zoomSettings(zoom.stub.url) };
    }
    firebreak = await TestFirebreak.start({ operator: testOperatorConfig(), integrations: loadIntegrationsConfig(env) });
  });
  afterAll(async () => {
    await firebreak?.stop();
    await stubs?.stop();
  });

  const run = async (runbookId: string, incidentId: string, input: Record<string, unknown>) => {
    const started = await firebreak.as('commander').post(`/v1/runbooks/${runbookId}/executions`, { input, incidentId });
    expect(started.status).toBe(201);
    return waitFor(`${runbookId} to finish`, async () => {
      const { body } = await firebreak.as('viewer').get(`/v1/executions/${started.body.id}`);
      return ['completed', 'failed'].includes(body.status) ? body : undefined;
    });
  };
  const read = async (id: string) => (await firebreak.as('viewer').get(`/v1/incidents/${id}`)).body;

  it('records the status incident a kickoff opens, reuses it on a second kickoff and an update, and resolves it once with the incident', async () => {
    const { body: declared } = await firebreak.as('responder').post('/v1/incidents', { title: 'Checkout failing in EU', severity: 'SEV1', service: 'checkout' });
    const kickoff = { title: 'Checkout failing in EU', service: 'checkout', responders: ['U1'] };

    const first = await run('major-incident-kickoff', declared.id, kickoff);
    expect(first.status).toBe('completed');
    const statusIncidentId: string = first.outcome.result.statusIncident;
    const recorded = await waitFor('the incident to record its status incident', async () => {
      const incident = await read(declared.id);
      return incident.statusPage?.statusIncidentId ? incident : undefined;
    });
    expect(recorded.statusPage).toMatchObject({ statusIncidentId, status: 'investigating' });

    const second = await run('major-incident-kickoff', declared.id, kickoff);
    expect(second.status).toBe('completed');
    expect(second.outcome.result.statusIncident).toBe(statusIncidentId);
    const update = await run('status-page-update', declared.id, { stage: 'identified', service: 'checkout' });
    expect(update.status).toBe('completed');
    expect(update.outcome.result.statusIncidentId).toBe(statusIncidentId);
    await waitFor('the incident to hear of the update', async () => (await read(declared.id)).statusPage.status === 'identified');
    if (stubs) {
      expect(stubs.statuspage.stub.count('incident.create')).toBe(1);
      expect(stubs.statuspage.incidents[0].incident_updates.map((entry) => entry.status)).toEqual(['identified', 'investigating', 'investigating']); // newest first, as Statuspage lists them
    }

    const resolve = await firebreak.as('responder').post(`/v1/incidents/${declared.id}/actions`, { action: 'resolve', note: 'Rolled back' });
    expect(resolve.status).toBe(200);
    const resolved = await waitFor('the status incident to be resolved', async () => {
      const incident = await read(declared.id);
      return incident.timeline.some((entry: Entry) => entry.summary.startsWith('Status page (resolved)')) ? incident : undefined;
    });
    expect(resolved.statusPage.status).toBe('resolved');
    // Reopened and resolved again: the public page is not told twice.
    await firebreak.as('commander').post(`/v1/incidents/${declared.id}/actions`, { action: 'reopen', reason: 'Errors are back' });
    await firebreak.as('responder').post(`/v1/incidents/${declared.id}/actions`, { action: 'resolve' });
    const final = await read(declared.id);
    expect(final.timeline.filter((entry: Entry) => entry.summary.startsWith('Status page (resolved)'))).toHaveLength(1);
    if (stubs) {
      const updates = stubs.statuspage.incidents[0].incident_updates;
      expect(updates.filter((entry) => entry.status === 'resolved')).toHaveLength(1);
      expect(stubs.statuspage.incidents[0].status).toBe('resolved');
      expect(stubs.statuspage.stub.count('incident.create')).toBe(1);
    } else {
      const page = (await firebreak.http.get('/status.json')).body;
      expect(JSON.stringify(page)).not.toContain('Checkout failing in EU');
    }
  });
});
