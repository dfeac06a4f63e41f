/** `firebreak runbooks …`: the catalog, and running a runbook (for real, as a plan, or followed to its end). */
import type { Command } from 'commander';
import type { JsonSchema, Runbook } from '../api-types';
import { action, type Cli } from '../cli';
import { CliError, ExitCode } from '../errors';
import { collect, runbookInput } from '../inputs';
import { compactJson, printable } from '../output';
import { finish, follow, showPlan } from './executions';

interface RunOptions {
  input?: string[];
  inputFile?: string;
  incident?: string;
  dryRun?: boolean;
  wait?: boolean;
}

export function registerRunbookCommands(program: Command): void {
  const runbooks = program.command('runbooks').alias('runbook').description('the runbook catalog; run a runbook');

  runbooks
    .command('ls')
    .description('the runbooks the API knows')
    .action(
      action(async (cli) => {
        const catalog = await cli.api.get<{ runbooks: Runbook[] }>('/v1/runbooks');
        if (cli.out.json) return cli.out.data(catalog);
        cli.out.table(
          ['id', 'title', 'version', 'triggers', 'required inputs'],
          catalog.runbooks.map((runbook) => [
            runbook.id,
            runbook.title,
            runbook.version,
            runbook.triggers.length > 0 ? `${runbook.triggers.length} alert match${runbook.triggers.length > 1 ? 'es' : ''}` : 'manual',
            (runbook.inputSchema.required ?? []).join(', '),
          ]),
        );
      }),
    );

  runbooks
    .command('show')
    .description('a runbook: what it does, its inputs with types and defaults, its triggers and guardrails')
    .argument('<id>')
    .action(
      action(async (cli, _options, [id]) => {
        const runbook = await findRunbook(cli, id as string);
        if (cli.out.json) return cli.out.data(runbook);
        const out = cli.out;
        out.line(`${out.paint(runbook.id, 'bold')}  ${printable(runbook.title)} (v${runbook.version})`);
        out.line(printable(runbook.description));
        const inputs = inputRows(runbook.inputSchema);
        out.line();
        if (inputs.length === 0) out.line('Inputs: none');
        else out.table(['input', 'type', 'required', 'default', 'description'], inputs);
        for (const trigger of runbook.triggers) {
          out.line(`trigger: alerts matching ${Object.entries(trigger.match).map(([label, value]) => `${label}=${value}`).join(', ')}${trigger.everyAlert ? ' (every alert)' : ''}`);
        }
        if (runbook.guardrails) {
          const budget = runbook.guardrails.budget;
          out.line(`guardrails: ${runbook.guardrails.singleFlight ? 'one run per target at a time' : 'runs may overlap'}${budget ? `; at most ${budget.max} runs per target in ${budget.windowMinutes} min` : ''}`);
        }
      }),
    );

  runbooks
    .command('run')
    .description('run a runbook: prints the execution id, or with --dry-run the plan, or with --wait each step as it runs')
    .argument('<id>')
    .option('--input <key=value>', 'an input (repeat for more); split at the first =, the value typed by the input schema (docs/cli.md)', collect)
    .option('--input-file <file>', 'inputs as a JSON object (- reads stdin); --input values go over it')
    .option('--incident <id>', 'run it for this incident (its timeline records each step)')
    .option('--dry-run', 'plan only: no step touches anything; prints the plan')
    .option('--wait', 'follow the run to its end; exits 1 unless it completes')
    .action(
      action<RunOptions>(async (cli, options, [id]) => {
        const runbook = await findRunbook(cli, id as string);
        const input = runbookInput(options.input, options.inputFile, runbook.inputSchema);
        const started = await cli.api.post<{ id: string; dryRun: boolean }>(`/v1/runbooks/${encodeURIComponent(runbook.id)}/executions`, {
          input,
          incidentId: options.incident,
          dryRun: options.dryRun ?? false,
        });
        if (options.dryRun) {
          const planned = await follow(cli, started.id, false);
          if (cli.out.json || planned.status !== 'completed') return finish(cli, planned);
          cli.out.line(`Plan of ${runbook.id} (dry run ${started.id}):`);
          return showPlan(cli.out, planned);
        }
        if (!options.wait) {
          if (cli.out.json) cli.out.data(started);
          else cli.out.line(`started ${started.id}; firebreak executions show ${started.id}`);
          return;
        }
        if (!cli.out.json) cli.out.line(`started ${started.id}`);
        finish(cli, await follow(cli, started.id, !cli.out.json));
      }),
    );
}

async function findRunbook(cli: Cli, id: string): Promise<Runbook> {
  const catalog = await cli.api.get<{ runbooks: Runbook[] }>('/v1/runbooks');
  const runbook = catalog.runbooks.find((candidate) => candidate.id === id);
  if (!runbook) throw new CliError(`no runbook "${id}"; firebreak runbooks ls lists them`, ExitCode.NotFound);
  return runbook;
}

/** The input schema's properties as rows: name, type, required, default, description. */
function inputRows(schema: JsonSchema): string[][] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => [
    name,
    typeName(property),
    required.has(name) ? 'yes' : '',
    property.default === undefined ? '' : compactJson(property.default),
    property.description ?? '',
  ]);
}

/** A JSON Schema type in a word or two: `string`, `integer 1..10`, `a|b|c`, `array of string`, `map of string`. */
export function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join('|');
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map(typeName).join(' or ');
  const types = [schema.type ?? 'any'].flat();
  return types
    .map((type) => {
      if (type === 'array') return `array of ${schema.items ? typeName(schema.items) : 'any'}`;
      if (type === 'object' && typeof schema.additionalProperties === 'object' && !schema.properties) return `map of ${typeName(schema.additionalProperties)}`;
      // zod writes "no bound" on an integer as the largest safe integer: left out.
      const bound = (value: number | undefined) => (value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? '' : String(value));
      const [minimum, maximum] = [bound(schema.minimum), bound(schema.maximum)];
      if ((type === 'integer' || type === 'number') && (minimum || maximum)) return `${type} ${minimum}..${maximum}`;
      return type;
    })
    .join(' or ');
}
