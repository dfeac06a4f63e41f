import { testRunbook } from '../core/model/runbook-testing';
import healthCheck from './service-health-check.runbook';

describe('service-health-check', () => {
  it('writes task counts, deployments and events to the timeline', async () => {
    const run = await testRunbook(healthCheck, {
      input: { cluster: 'prod', service: 'checkout', events: 1 },
      incident: {},
      steps: {
        'scaling.describeService': () => ({
          ref: { cluster: 'prod', service: 'checkout' },
          desiredCount: 3,
          runningCount: 2,
          pendingCount: 1,
          deployments: [{ id: 'd1', status: 'PRIMARY' }],
          events: [{ message: 'task stopped' }, { message: 'older event' }],
        }),
      },
    });
    expect(run.steps.map((s) => s.name)).toEqual(['scaling.describeService']);
    expect(run.result).toEqual({
      healthy: false,
      findings: ['checkout on prod: 2/3 tasks running, 1 pending — below desired', 'deployment d1: PRIMARY', 'event: task stopped'],
    });
    expect(run.log).toContain(['checkout on prod: 2/3 tasks running, 1 pending — below desired', 'deployment d1: PRIMARY', 'event: task stopped'].join('\n'));
  });
});
