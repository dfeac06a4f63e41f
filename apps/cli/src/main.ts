/** The `firebreak` CLI's entry point (bin/firebreak.js runs it): runs one command and says how it ended. */
import { CommanderError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, ExitCode } from './errors';
import { Output } from './output';
import { buildProgram } from './program';

/** The package's version, from the package.json above this file (in the source tree or in dist/). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  }
  return '0.0.0';
}

/** Runs the command in `argv` (as process.argv); resolves to its exit code (docs/cli.md). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram(packageVersion()).parseAsync(argv);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the help or the complaint already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.Ok : ExitCode.Usage;
    }
    const out = new Output('table');
    if (error instanceof CliError) {
      out.error(error.message, error.issues);
      return error.exitCode;
    }
    out.error(`unexpected: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.Failure;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
