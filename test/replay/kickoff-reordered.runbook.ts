import shipped from '../../runbooks/major-incident-kickoff.runbook';
import { defineRunbook } from '../../core/model/runbook';

/**
 * A deliberately non-deterministic change to a shipped runbook: the video room is created
 * before the ticket. Replaying runs recorded with the real runbook must fail on it.
 */
export default defineRunbook({
  ...shipped,
  async run(ctx, input) {
    const incidentId = ctx.incidentId ?? ctx.executionId;
    await ctx.video.createMeeting({ incidentId, topic: input.title });
    return shipped.run(ctx, input);
  },
});
