import { testRunbook } from '../core/model/runbook-testing';
import kickoff from './major-incident-kickoff.runbook';

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
});
