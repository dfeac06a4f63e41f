import { z } from 'zod';
import { defineRunbook } from '../../core/model/runbook';

/** Test runbook: two compensable steps, then a failing third step or a wait to be cancelled during. */
export default defineRunbook({
  id: 'compensation-demo',
  title: 'Compensation demo',
  description: 'Opens a status page notice and scales out, then fails or waits.',
  input: z.object({ then: z.enum(['fail', 'wait']) }),
  async run(ctx, input) {
    const ref = { cluster: 'test', service: 'demo' };
    await ctx.statusPage.openIncident(
      { incidentId: ctx.executionId, title: 'Demo', message: 'Investigating' },
      { compensate: (opened) => ctx.statusPage.updateIncident({ statusIncidentId: opened.id, status: 'resolved', message: 'Withdrawn' }) },
    );
    await ctx.scaling.scaleService(
      { ref, desiredCount: 4, min: 1, max: 10 },
      { compensate: () => ctx.scaling.scaleService({ ref, desiredCount: 2, min: 1, max: 10 }) },
    );
    if (input.then === 'fail') {
      // Outside its bounds: the scaling port refuses this for good, so the run fails here.
      await ctx.scaling.scaleService({ ref, desiredCount: 100, min: 1, max: 10 }, { id: 'scale-too-far' });
    } else {
      await ctx.approve({ prompt: 'Hold here until cancelled', timeout: '1 hour' });
    }
    return { done: true };
  },
});
