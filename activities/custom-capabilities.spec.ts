import { z } from 'zod';
import { defineCapability, defineOperation } from '../core/model/capability';
import { CapabilityFailure } from '../core/schemas/capabilities/common';
import { CapabilityCatalogError, type CapabilityFile } from '../core/schemas/custom-capabilities';
import { activityEnvironment, expectFailure } from '../test/vendors/activity';
import { implementCapability, InvalidStepOutput, loadCustomCapabilities, secretSetting, withCustomActivities } from './custom-capabilities';

const TOKEN = 'tok-s3cr3t-0123456789';

const tickets = defineCapability({
  name: 'tickets',
  operations: {
    open: defineOperation({
      description: 'Opens a ticket.',
      input: z.object({ title: z.string().min(1), priority: z.number().int().default(3) }),
      output: z.object({ id: z.string(), created: z.boolean().default(true) }),
      failures: ['QueueFull'],
    }).dryRun(() => ({ id: 'dry-run', created: false })),
  },
});

type Behaviour = 'ok' | 'full' | 'leak' | 'crash' | 'unreached' | 'bad-output' | 'huge';

const implementation = implementCapability(tickets, {
  settings: z.object({ TICKETS_TOKEN: secretSetting(), TICKETS_BEHAVIOUR: z.enum(['ok', 'full', 'leak', 'crash', 'unreached', 'bad-output', 'huge']).default('ok') }),
  create: ({ TICKETS_TOKEN, TICKETS_BEHAVIOUR }) => ({
    open: async (input, context) => {
      const behaviour: Behaviour = TICKETS_BEHAVIOUR;
      if (behaviour === 'full') throw context.failure('QueueFull', `no room for "${input.title}"`, { retry: true, retryAfterMs: 5000 });
      if (behaviour === 'leak') throw context.failure('VendorRejected', `refused token ${TICKETS_TOKEN.reveal()}`);
      if (behaviour === 'crash') throw new Error(`cannot read ${TICKETS_TOKEN.reveal()}.length`);
      if (behaviour === 'unreached') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
      if (behaviour === 'bad-output') return { id: 42 } as never;
      if (behaviour === 'huge') return { id: 'x'.repeat(70_000) };
      return { id: `T-${input.priority}-${context.idempotencyKey}` };
    },
  }),
});

const files = (implemented: unknown = implementation, declared: unknown = tickets): CapabilityFile[] => [
  {
    file: 'runbooks/capabilities/tickets.ts',
    implementationFile: 'runbooks/capabilities/tickets.worker.ts',
    declaration: () => ({ default: declared }),
    implementation: () => ({ default: implemented }),
  },
];

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof CapabilityCatalogError) return error.problems;
    throw error;
  }
  return [];
};

describe('custom capabilities on the worker', () => {
  const env = activityEnvironment();
  const activity = (behaviour: Behaviour = 'ok') =>
    loadCustomCapabilities(files(), { TICKETS_TOKEN: TOKEN, TICKETS_BEHAVIOUR: behaviour }).activities.ticketsOpen;

  it('registers each operation as `<capability><Operation>`: the input after its schema, the idempotency key beside it, the output after its', async () => {
    const answer = await env.run(activity(), { idempotencyKey: 'rbx-1/tickets.open', title: 'Disk full' });
    expect(answer).toEqual({ id: 'T-3-rbx-1/tickets.open', created: true });
  });

  it('refuses a bad input (not retried, naming the field), and an output its schema refuses or too large to keep (a bug: not retried)', async () => {
    await expectFailure(env.run(activity(), { idempotencyKey: 'k', title: '' }), {
      type: CapabilityFailure.InvalidInput,
      nonRetryable: true,
      message: /ticketsOpen: invalid input: title:/,
    });
    await expectFailure(env.run(activity('bad-output'), { idempotencyKey: 'k', title: 'x' }), {
      type: InvalidStepOutput,
      nonRetryable: true,
      message: /ticketsOpen: the implementation returned what its output schema refuses: id:/,
    });
    await expectFailure(env.run(activity('huge'), { idempotencyKey: 'k', title: 'x' }), {
      type: InvalidStepOutput,
      nonRetryable: true,
      message: /ticketsOpen: the output is 700\d\d bytes as JSON; a step returns at most 65536/,
    });
  });

  it('raises the operation\'s own failures, and keeps the settings\' secrets out of every failure', async () => {
    await expectFailure(env.run(activity('full'), { idempotencyKey: 'k', title: 'Disk full' }), {
      type: 'QueueFull',
      nonRetryable: false,
      nextRetryDelay: 5000,
      message: /^ticketsOpen: no room for "Disk full"$/,
    });
    await expectFailure(env.run(activity('leak'), { idempotencyKey: 'k', title: 'x' }), {
      type: CapabilityFailure.Rejected,
      nonRetryable: true,
      message: /refused token \[redacted\]/,
      secrets: [TOKEN],
    });
    await expectFailure(env.run(activity('crash'), { idempotencyKey: 'k', title: 'x' }), {
      type: 'Error',
      nonRetryable: false,
      message: /ticketsOpen: cannot read \[redacted\]\.length/,
      secrets: [TOKEN],
    });
    await expectFailure(env.run(activity('unreached'), { idempotencyKey: 'k', title: 'x' }), {
      type: CapabilityFailure.Unavailable,
      nonRetryable: false,
      message: /ticketsOpen: no answer \(ECONNREFUSED\)/,
    });
  });

  it('stops start-up naming the file and the field when an implementation does not match its declaration', () => {
    const settings = z.object({});
    expect(problemsOf(() => loadCustomCapabilities(files({ open: async () => ({}) }), {}))).toEqual([
      'runbooks/capabilities/tickets.worker.ts: the default export must be implementCapability(declaration, {...})',
    ]);
    const other = defineCapability({ name: 'other', operations: tickets.operations });
    expect(problemsOf(() => loadCustomCapabilities(files(implementCapability(other, { settings, create: () => ({ open: async () => ({ id: '1' }) }) })), {}))).toEqual([
      'runbooks/capabilities/tickets.worker.ts: implements "other", but runbooks/capabilities/tickets.ts declares "tickets"',
    ]);
    const partial = implementCapability(tickets, { settings, create: () => ({ close: async () => ({}) }) as never });
    expect(problemsOf(() => loadCustomCapabilities(files(partial), {}))).toEqual([
      'runbooks/capabilities/tickets.worker.ts: create: returns no function for operation "open"',
      'runbooks/capabilities/tickets.worker.ts: create: "close" is not an operation of runbooks/capabilities/tickets.ts',
    ]);
    const badSettings = implementCapability(tickets, { settings: z.object({ ticketsToken: z.string() }), create: () => ({ open: async () => ({ id: '1' }) }) });
    expect(problemsOf(() => loadCustomCapabilities(files(badSettings), {}))).toEqual([
      'runbooks/capabilities/tickets.worker.ts: settings.ticketsToken: an environment variable\'s name is UPPER_SNAKE_CASE',
    ]);
    const throwing = implementCapability(tickets, {
      settings: z.object({ TICKETS_TOKEN: secretSetting() }),
      create: ({ TICKETS_TOKEN }) => {
        throw new Error(`token ${TICKETS_TOKEN.reveal()} has expired`);
      },
    });
    expect(problemsOf(() => loadCustomCapabilities(files(throwing), { TICKETS_TOKEN: TOKEN }))).toEqual([
      'runbooks/capabilities/tickets.worker.ts: create: token [redacted] has expired',
    ]);
  });

  it('stops start-up on a missing or invalid setting, naming it and never its value', () => {
    expect(problemsOf(() => loadCustomCapabilities(files(), { TICKETS_TOKEN: '   ', TICKETS_BEHAVIOUR: 'loud' }))).toEqual([
      expect.stringMatching(/^runbooks\/capabilities\/tickets\.worker\.ts: settings\.TICKETS_TOKEN: /),
      expect.stringMatching(/^runbooks\/capabilities\/tickets\.worker\.ts: settings\.TICKETS_BEHAVIOUR: /),
    ]);
    const message = problemsOf(() => loadCustomCapabilities(files(), { TICKETS_TOKEN: TOKEN, TICKETS_BEHAVIOUR: 'loud' })).join('\n');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('loud');
  });

  it('stops start-up when a custom operation would take a built-in activity\'s name', () => {
    const custom = loadCustomCapabilities(files(), { TICKETS_TOKEN: TOKEN });
    expect(Object.keys(withCustomActivities({ pagingPage: async () => undefined }, custom))).toEqual(['pagingPage', 'ticketsOpen']);
    expect(problemsOf(() => withCustomActivities({ ticketsOpen: async () => undefined }, custom))).toEqual([
      'runbooks/capabilities/tickets.ts: operations.open: its activity "ticketsOpen" is the name of a built-in activity; rename the capability or the operation',
    ]);
  });
});
