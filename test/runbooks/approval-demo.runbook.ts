import { z } from 'zod';
import { ROLES } from '../../core/schemas/config';
import { defineRunbook } from '../../core/model/runbook';

/** Test runbook: asks for one approval and reports what came of it. */
export default defineRunbook({
  id: 'approval-demo',
  title: 'Approval demo',
  description: 'Asks for approval; pages when nobody decides.',
  input: z.object({ approvers: z.array(z.enum(ROLES)).default(['admin']), timeoutSeconds: z.number().int().min(1).default(3600) }),
  async run(ctx, input) {
    const decision = await ctx.approve({ prompt: 'Proceed with the risky step?', approvers: input.approvers, timeout: `${input.timeoutSeconds} seconds` });
    if (decision === null) {
      await ctx.paging.page({ incidentId: ctx.executionId, action: 'trigger', dedupKey: ctx.executionId, summary: 'Nobody decided: the commander must.' });
      return { outcome: 'timed-out' };
    }
    return { outcome: decision.approved ? 'approved' : 'rejected', by: decision.by, comment: decision.comment };
  },
});
