/** What every command is given: where to print, the contexts file, and the API it talks to. */
import type { Command } from 'commander';
import { ApiClient } from './api-client';
import { Contexts, contextsPath, type Target } from './contexts';
import { Output, type OutputFormat } from './output';

export interface GlobalOptions {
  output: OutputFormat;
  context?: string;
}

export class Cli {
  readonly contexts: Contexts;
  private client: ApiClient | undefined;

  constructor(
    readonly out: Output,
    /** `--context`: the context to use (to store, for login). */
    readonly contextName: string | undefined,
  ) {
    this.contexts = new Contexts(contextsPath(), (message) => out.note(`warning: ${message}`));
  }

  /** The context's API (after `FIREBREAK_URL` / `FIREBREAK_KEY`), resolved on first use. */
  get api(): ApiClient {
    this.client ??= this.clientFor(this.contexts.target(this.contextName));
    return this.client;
  }

  clientFor(target: Target): ApiClient {
    return new ApiClient(target.url, target.key);
  }
}

/**
 * A command's action: `run` gets the CLI, the command's own options and its arguments
 * (a variadic one as an array), and its errors go to `main`, which prints them and exits.
 */
export function action<O = Record<string, unknown>>(run: (cli: Cli, options: O, args: unknown[]) => Promise<void>) {
  return async function (this: Command): Promise<void> {
    const globals = this.optsWithGlobals<GlobalOptions>();
    const cli = new Cli(new Output(globals.output), globals.context);
    await run(cli, this.opts<O & object>() as O, this.processedArgs);
  };
}
