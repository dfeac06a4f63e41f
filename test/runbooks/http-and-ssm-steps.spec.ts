/**
 * The HTTP and Run Command steps as a runbook author meets them: typed on `ctx`, planned by a
 * dry run (the method and URL shown, secrets only by name), stubbed by the test kit.
 */
import { z } from 'zod';
import { defineRunbook } from '../../core/model/runbook';
import { testRunbook } from '../../core/model/runbook-testing';

const flushCache = defineRunbook({
  id: 'flush-payments-cache',
  title: 'Flush the payments cache',
  description: 'Asks the payments admin API to drain, then flushes the cache on the payment hosts.',
  input: z.object({ instances: z.array(z.string()).min(1) }),
  uses: ['http', 'ssm'],
  async run(ctx, input) {
    const drained = await ctx.http.request({
      method: 'POST',
      url: 'https://payments.internal/admin/drain',
      secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' },
      body: { reason: 'cache flush' },
      expect: { status: [200, 202] },
    });
    const flushed = await ctx.ssm.runCommand({ instanceIds: input.instances, parameters: { commands: ['payments-cache flush'] }, comment: 'cache flush' });
    return { drained: drained.status, flushed: flushed.status };
  },
});

describe('the HTTP and Run Command steps in a runbook', () => {
  it('a dry run plans both: the method, URL and the secret by name, the command and its instances; nothing is sent', async () => {
    const run = await testRunbook(flushCache, { input: { instances: ['i-0123456789abcdef0'] }, dryRun: true });
    expect(run.status).toBe('completed');
    expect(run.plan.map((step) => [step.name, step.status])).toEqual([
      ['http.request', 'planned'],
      ['ssm.runCommand', 'planned'],
    ]);
    expect(run.plan[0].args).toMatchObject({ method: 'POST', url: 'https://payments.internal/admin/drain', secretHeaders: { Authorization: 'Bearer PAYMENTS_ADMIN_TOKEN' } });
    expect(run.plan[0].result).toEqual({ status: 200, headers: {}, body: 'dry run: POST https://payments.internal/admin/drain was not sent', truncated: false });
    expect(run.plan[1].result).toMatchObject({ commandId: 'dry-run', status: 'Success', created: false, counts: { targets: 1 } });
    expect(run.result).toEqual({ drained: 200, flushed: 'Success' });
  });

  it('the test kit stubs them by step name, with the idempotency key filled in', async () => {
    const keys: string[] = [];
    const run = await testRunbook(flushCache, {
      input: { instances: ['i-0123456789abcdef0'] },
      steps: {
        'http.request': (request) => (keys.push(request.idempotencyKey), { status: 202, headers: {}, body: { draining: true }, truncated: false }),
        'ssm.runCommand': (command) => (
          keys.push(command.idempotencyKey),
          { commandId: 'c-1', status: 'Failed', created: true, counts: { targets: 1, completed: 1, errors: 1 }, instances: [], truncated: false }
        ),
      },
    });
    expect(run.result).toEqual({ drained: 202, flushed: 'Failed' });
    expect(keys).toEqual(['test-execution/http.request', 'test-execution/ssm.runCommand']);
  });
});
