/** `firebreak login` and `firebreak context use|ls|rm`: kubectl-style contexts. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { action } from '../cli';
import { checkUrl, DEFAULT_CONTEXT } from '../contexts';
import { ApiError, usage } from '../errors';

/** What a listing shows instead of a key. */
export const MASKED_KEY = '********';

export function registerContextCommands(program: Command): void {
  program
    .command('login')
    .description(`store an API URL and key as a context (--context, default "${DEFAULT_CONTEXT}"), and make it current`)
    .requiredOption('--url <api>', "the API's base URL, e.g. http://127.0.0.1:3000")
    .requiredOption('--key <key>', 'the API key; - reads it from stdin (kept out of shell history)')
    .option('--no-check', 'store without asking the API whether the key works')
    .action(
      action<{ url: string; key: string; check: boolean }>(async (cli, options) => {
        const name = cli.contextName ?? DEFAULT_CONTEXT;
        const url = checkUrl(options.url);
        const key = options.key === '-' ? readFileSync(0, 'utf8').trim() : options.key;
        if (!key) throw usage('--key is empty');
        if (options.check) {
          // An authenticated read proves URL and key; a 403 too (a sender key may only send alerts).
          await cli
            .clientFor({ url, key })
            .get('/v1/incidents', { pageSize: 1 })
            .catch((error: unknown) => {
              if (!(error instanceof ApiError && error.status === 403)) throw error;
            });
        }
        cli.contexts.save(name, { url, key });
        if (cli.out.json) cli.out.data({ context: name, url, path: cli.contexts.path });
        else cli.out.line(`context "${name}" → ${url} is current (stored in ${cli.contexts.path})`);
      }),
    );

  const context = program.command('context').description('list and switch contexts (the APIs logged in to)');
  context
    .command('ls')
    .description('list the contexts; keys are never shown')
    .action(
      action(async (cli) => {
        const file = cli.contexts.read();
        const rows = Object.entries(file.contexts).map(([name, entry]) => ({
          name,
          url: entry.url,
          key: entry.key ? MASKED_KEY : null,
          current: name === file.currentContext,
        }));
        if (cli.out.json) return cli.out.data({ currentContext: file.currentContext ?? null, contexts: rows });
        if (rows.length === 0) return cli.out.note('no contexts yet: firebreak login --url <api> --key <key>');
        cli.out.table(
          ['current', 'name', 'url', 'key'],
          rows.map((row) => [row.current ? '*' : '', row.name, row.url, row.key ?? '(none)']),
        );
      }),
    );
  context
    .command('use')
    .description('make a context current')
    .argument('<name>')
    .action(
      action(async (cli, _options, [name]) => {
        cli.contexts.use(name as string);
        if (cli.out.json) cli.out.data({ currentContext: name });
        else cli.out.line(`context "${name as string}" is current`);
      }),
    );
  context
    .command('rm')
    .description('forget a context and its key')
    .argument('<name>')
    .action(
      action(async (cli, _options, [name]) => {
        cli.contexts.remove(name as string);
        if (cli.out.json) cli.out.data({ removed: name });
        else cli.out.line(`context "${name as string}" removed`);
      }),
    );
}
