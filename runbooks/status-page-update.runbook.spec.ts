import { testRunbook } from '../core/model/runbook-testing';
import statusPageUpdate from './status-page-update.runbook';

describe('status-page-update', () => {
  it('opens a status incident for the incident, with its id filled in, when it has none', async () => {
    const run = await testRunbook(statusPageUpdate, {
      input: { stage: 'investigating', service: 'checkout' },
      incident: { id: 'INC-3' },
      steps: { 'statusPage.openIncident': () => ({ id: 'sp-1', created: true }) },
    });
    expect(run.steps).toEqual([
      expect.objectContaining({
        name: 'statusPage.openIncident',
        args: expect.objectContaining({ incidentId: 'INC-3', title: 'Degraded service: checkout', status: 'investigating' }),
      }),
    ]);
    expect(run.result).toEqual({ statusIncidentId: 'sp-1', message: 'We are investigating reports of problems with checkout.' });
  });

  it('updates the status incident the incident already has', async () => {
    const run = await testRunbook(statusPageUpdate, {
      input: { stage: 'resolved', service: 'checkout', details: 'Sorry.' },
      incident: { statusPage: { statusIncidentId: 'sp-1' } },
    });
    expect(run.steps.map((s) => s.name)).toEqual(['statusPage.updateIncident']);
    expect(run.steps[0].args).toMatchObject({ statusIncidentId: 'sp-1', status: 'resolved' });
    expect(run.result).toMatchObject({ message: 'The problems with checkout are resolved. Thank you for your patience. Sorry.' });
  });
});
