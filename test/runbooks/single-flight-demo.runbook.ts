import { z } from 'zod';
import { defineRunbook } from '../../core/model/runbook';

/** Test runbook: holds its target's single flight until approved. */
export default defineRunbook({
  id: 'single-flight-demo',
  title: 'Single-flight demo',
  description: 'Waits for approval while holding the single flight for its target.',
  input: z.object({ target: z.string().min(1) }),
  guardrails: { target: (input) => input.target },
  async run(ctx) {
    const decision = await ctx.approve({ prompt: 'Release the flight?', timeout: '1 hour' });
    return { released: decision?.approved ?? false };
  },
});
