import { z } from 'zod';
import { CAPABILITIES } from '../model/capabilities/operations';
import { CONTEXT_NAMES, defineCapability, defineOperation } from '../model/capability';
import { defineRunbook } from '../model/runbook';
import { loadRunbookCatalog, RunbookCatalogError, type RunbookFile } from '../model/runbook-catalog';
import { testRunbook } from '../model/runbook-testing';
import { CapabilityCatalogError, type CapabilityFile, checkRunbookUses, loadCapabilityDeclarations, runbookOperations } from './custom-capabilities';

const op = (input: z.ZodType = z.object({ id: z.string() }), output: z.ZodType = z.object({ done: z.boolean() })) =>
  defineOperation({ description: 'Does one thing.', input, output }).dryRun(() => ({ done: false }));

const file = (name: string, exported: unknown): CapabilityFile => ({
  file: `runbooks/capabilities/${name}.ts`,
  implementationFile: `runbooks/capabilities/${name}.worker.ts`,
  declaration: () => ({ default: exported }),
  implementation: () => ({ default: undefined }),
});

const problemsOf = (files: CapabilityFile[]): string[] => {
  try {
    loadCapabilityDeclarations(files);
  } catch (error) {
    if (error instanceof CapabilityCatalogError) return error.problems;
    throw error;
  }
  return [];
};

describe('custom capability declarations, checked at start', () => {
  it('names the file and the field of every mistake in names and operations', () => {
    expect(
      problemsOf([
        file('not-one', { name: 'notOne', operations: {} }),
        file('snake', defineCapability({ name: 'feature_flags', operations: { go: op() } })),
        file('built-in', defineCapability({ name: 'chat', operations: { go: op() } })),
        file('context', defineCapability({ name: 'incident', operations: { go: op() } })),
        file('empty', defineCapability({ name: 'empty', operations: {} })),
        file('bad-operations', defineCapability({ name: 'badOperations', operations: { 'Go-Now': op(), later: { input: z.object({}) } as never } })),
        file(
          'bad-fields',
          defineCapability({
            name: 'badFields',
            operations: {
              go: { ...op(), description: '', long: 'yes', failures: ['not-pascal', 'Twice', 'Twice'] } as never,
            },
          }),
        ),
      ]),
    ).toEqual([
      'runbooks/capabilities/not-one.ts: the default export must be defineCapability({...})',
      'runbooks/capabilities/snake.ts: name: camelCase letters and digits, at most 40 (e.g. "featureFlags")',
      'runbooks/capabilities/built-in.ts: name: "chat" is a built-in capability',
      'runbooks/capabilities/context.ts: name: "incident" is taken by ctx.incident',
      'runbooks/capabilities/empty.ts: operations: at least one operation',
      'runbooks/capabilities/bad-operations.ts: operations.Go-Now: an operation name is camelCase letters and digits, at most 60',
      'runbooks/capabilities/bad-operations.ts: operations.later.description: required: what the operation does, in a sentence',
      'runbooks/capabilities/bad-operations.ts: operations.later.dryRun: must be a function (input, stepId) => what the step returns in a dry run',
      'runbooks/capabilities/bad-operations.ts: operations.later.output: must be a zod schema',
      'runbooks/capabilities/bad-fields.ts: operations.go.description: required: what the operation does, in a sentence',
      'runbooks/capabilities/bad-fields.ts: operations.go.long: true or false',
      'runbooks/capabilities/bad-fields.ts: operations.go.failures.0: a failure type is PascalCase letters and digits, at most 60',
      'runbooks/capabilities/bad-fields.ts: operations.go.failures: each failure type once',
    ]);
  });

  it('refuses schemas that cannot cross the JSON boundary, naming where in them', () => {
    const problems = problemsOf([
      file(
        'unrepresentable',
        defineCapability({
          name: 'unrepresentable',
          operations: {
            dates: op(z.object({ window: z.object({ from: z.date(), to: z.iso.datetime() }) })),
            maps: op(z.object({ id: z.string() }), z.object({ byHost: z.map(z.string(), z.number()) })),
            bigints: op(z.object({ sizes: z.array(z.bigint()) })),
            functions: op(z.object({ callback: z.function() })),
            transforms: op(z.object({ name: z.string().transform((name) => name.toLowerCase()) })),
            nothing: op(z.object({ id: z.string() }), z.undefined()),
            scalar: op(z.string()),
            keyed: op(z.object({ idempotencyKey: z.string() })),
          },
        }),
      ),
    ]);
    expect(problems).toEqual([
      'runbooks/capabilities/unrepresentable.ts: operations.dates.input.window.from: a Date cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.maps.output.byHost: a Map cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.bigints.input.sizes[]: a bigint cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.functions.input.callback: a function cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.transforms.input.name: a transform cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.nothing.output: undefined cannot cross the JSON boundary of a step: use JSON types (dates as ISO strings)',
      'runbooks/capabilities/unrepresentable.ts: operations.scalar.input: must be a z.object({...}): the step takes named fields',
      'runbooks/capabilities/unrepresentable.ts: operations.keyed.input.idempotencyKey: is reserved: the implementation receives the idempotency key beside the input',
    ]);
  });

  it('reserves every name ctx holds besides the built-in capabilities', async () => {
    const keys = defineRunbook({ id: 'keys', title: 'Keys', description: 'x', input: z.object({}), run: async (ctx) => Object.keys(ctx) });
    const { result } = await testRunbook(keys, { input: {} });
    expect((result as string[]).filter((key) => !(CAPABILITIES as readonly string[]).includes(key)).sort()).toEqual([...CONTEXT_NAMES].sort());
  });

  it('refuses a capability declared by two files', () => {
    const flags = defineCapability({ name: 'flags', operations: { go: op() } });
    expect(problemsOf([file('flags', flags), file('flags-again', flags)])).toEqual([
      'runbooks/capabilities/flags-again.ts: name: "flags" is declared by runbooks/capabilities/flags.ts too',
    ]);
  });

  it('checks that every custom capability a runbook uses is listed, and is the declaration listed', () => {
    const flags = defineCapability({ name: 'flags', operations: { go: op() } });
    const lookalike = defineCapability({ name: 'flags', operations: { stop: op() } });
    const unlisted = defineCapability({ name: 'unlisted', operations: { go: op() } });
    const runbook = (id: string, uses: Parameters<typeof defineRunbook>[0]['uses']) =>
      defineRunbook({ id, title: id, description: id, input: z.object({}), uses, run: async () => undefined });
    const declared = loadCapabilityDeclarations([file('flags', flags)]);
    expect(() => checkRunbookUses([runbook('fine', ['paging', flags])], declared)).not.toThrow();
    expect(() => checkRunbookUses([runbook('stray', ['paging', unlisted]), runbook('copied', [lookalike])], declared)).toThrow(
      new CapabilityCatalogError([
        'runbook stray: uses.1: custom capability "unlisted" is not listed in runbooks/capabilities/index.ts',
        'runbook copied: uses.0: "flags" is not the declaration in runbooks/capabilities/flags.ts; import that file',
      ]),
    );
  });

  it('refuses a `uses` that names no capability, or one twice, in the runbook catalog', () => {
    const flags = defineCapability({ name: 'flags', operations: { go: op() } });
    const runbook = { id: 'uses', title: 'Uses', description: 'x', input: z.object({}), run: async () => undefined };
    const files: RunbookFile[] = [
      { file: 'runbooks/uses.runbook.ts', load: () => ({ default: { ...runbook, uses: ['paging', 'flags', { name: 'flags' }, flags, flags, 'paging'] } }) },
    ];
    expect(() => loadRunbookCatalog(files)).toThrow(
      new RunbookCatalogError([
        `runbooks/uses.runbook.ts: uses.1: "flags" is no built-in capability (${CAPABILITIES.join(', ')}); a custom one is listed by its declaration, not its name`,
        'runbooks/uses.runbook.ts: uses.2: a built-in capability\'s name, or the default export of a file in runbooks/capabilities/ (defineCapability)',
        'runbooks/uses.runbook.ts: uses.4: "flags" is listed twice',
        'runbooks/uses.runbook.ts: uses.5: "paging" is listed twice',
      ]),
    );
  });

  it('lists what a runbook may call: the operations of what it uses, every built-in one without `uses`, and paging when a budget may page', () => {
    const flags = defineCapability({ name: 'flags', operations: { go: { ...op(), long: true, failures: ['Gone'] } } });
    const base = { title: 'x', description: 'x', input: z.object({}), run: async () => undefined };
    const used = runbookOperations(defineRunbook({ ...base, id: 'used', uses: [flags, 'video'], guardrails: { target: () => 't', budget: { max: 1, windowMinutes: 5 } } }));
    expect(used).toEqual([
      {
        step: 'flags.go',
        custom: true,
        long: true,
        failures: ['Gone'],
        description: 'Does one thing.',
        inputSchema: expect.objectContaining({ type: 'object', required: ['id'] }),
        outputSchema: expect.objectContaining({ type: 'object', required: ['done'] }),
      },
      { step: 'video.createMeeting', custom: false, long: false, failures: [] },
      { step: 'paging.page', custom: false, long: false, failures: [] },
    ]);
    const every = runbookOperations(defineRunbook({ ...base, id: 'every' }));
    expect(every.map(({ step }) => step)).toEqual(expect.arrayContaining(['ticketing.createTicket', 'deploy.rollback', 'notification.send']));
    expect(every.every(({ custom }) => !custom)).toBe(true);
  });
});
