/**
 * A runbook on a custom capability over the API: the catalog lists the operations its plan
 * may call (custom ones with their schemas), and a dry run plans its custom steps.
 */
import { useTestFirebreak } from '../firebreak';
import { testOperatorConfig } from '../operator';
import { waitFor } from '../wait';

describe('flag-kill-switch over the API', () => {
  const e2e = useTestFirebreak({ operator: testOperatorConfig() });

  it('lists the operations its plan may call, custom ones with their schemas, and the built-in ones shipped runbooks use', async () => {
    const catalog = await e2e.viewer.get('/v1/runbooks');
    expect(catalog.status).toBe(200);
    const listed = catalog.body.runbooks.find((runbook: { id: string }) => runbook.id === 'flag-kill-switch');
    expect(listed.uses).toEqual(['featureFlags', 'paging']);
    expect(listed.operations.map((operation: { step: string }) => operation.step)).toEqual([
      'featureFlags.read',
      'featureFlags.disable',
      'featureFlags.enable',
      'paging.page',
    ]);
    expect(listed.operations[1]).toMatchObject({
      step: 'featureFlags.disable',
      custom: true,
      long: false,
      failures: ['FlagNotFound'],
      description: expect.stringMatching(/^Turns a feature flag off/),
      inputSchema: { type: 'object', required: ['flag'] },
      outputSchema: { type: 'object', properties: { provider: { enum: ['unleash', 'local', 'dry-run'] } } },
    });
    const rollback = catalog.body.runbooks.find((runbook: { id: string }) => runbook.id === 'rollback-bad-deploy');
    expect(rollback.operations.map((operation: { step: string }) => operation.step)).toEqual([
      'deploy.findReleases',
      'deploy.rollback',
      'statusPage.openIncident',
      'statusPage.updateIncident',
      'statusPage.setComponentStatus',
      'paging.page',
    ]);
    expect(rollback.operations[1]).toMatchObject({ custom: false, long: true, failures: ['OutOfBounds'] });
  });

  it('plans the custom steps in a dry run, calling nothing', async () => {
    const started = await e2e.responder.post('/v1/runbooks/flag-kill-switch/executions', { input: { flag: 'new-checkout' }, dryRun: true });
    expect(started.status).toBe(201);
    const done = await waitFor('the dry run to finish', async () => {
      const { body } = await e2e.viewer.get(`/v1/executions/${started.body.id}`);
      return body.status === 'completed' ? body : undefined;
    });
    expect(done.plan).toEqual([
      { step: 'featureFlags.read', action: 'featureFlags.read', args: { flag: 'new-checkout', environment: 'production' } },
      { step: 'featureFlags.disable', action: 'featureFlags.disable', args: { flag: 'new-checkout', environment: 'production' } },
      { step: 'waitFor', action: 'waitFor', args: { timeout: '10 minutes', every: '30 seconds' } },
    ]);
  });

  it('refuses a bad input at launch with 400, naming the field', async () => {
    const bad = await e2e.responder.post('/v1/runbooks/flag-kill-switch/executions', { input: { flag: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: 'input.flag', rule: 'too_small' })]);
  });
});
