/** The `firebreak` command line: its global options and every noun with its verbs. */
import { Command, Option } from 'commander';
import { registerAlertCommands } from './commands/alerts';
import { registerContextCommands } from './commands/contexts';
import { registerExecutionCommands } from './commands/executions';
import { registerIncidentCommands } from './commands/incidents';
import { registerOncallCommands } from './commands/oncall';
import { registerRunbookCommands } from './commands/runbooks';
import { OUTPUT_FORMATS } from './output';

const FOOTER = `
Environment:
  FIREBREAK_URL, FIREBREAK_KEY  take precedence over the context's URL and key
  FIREBREAK_CONFIG              the contexts file (default $XDG_CONFIG_HOME/firebreak/config.json,
                                else ~/.config/firebreak/config.json)
  NO_COLOR                      no colours (there are none unless stdout is a terminal)

Exit codes: 0 ok, 1 failure, 2 usage or bad input, 3 not found, 4 refused (401, 403, 409).
More: docs/cli.md`;

export function buildProgram(version: string): Command {
  const program = new Command('firebreak')
    .description('Drive Firebreak from a terminal: incidents, alerts, runbooks, executions, on call.')
    .version(version)
    .addOption(new Option('-o, --output <format>', 'how to print answers').choices(OUTPUT_FORMATS).default('table'))
    .option('--context <name>', 'the context to use (default: the current one)')
    // Thrown, not exited, so main() decides the exit code; set before the subcommands, which inherit it.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', FOOTER);
  registerContextCommands(program);
  registerAlertCommands(program);
  registerIncidentCommands(program);
  registerRunbookCommands(program);
  registerExecutionCommands(program);
  registerOncallCommands(program);
  return program;
}
