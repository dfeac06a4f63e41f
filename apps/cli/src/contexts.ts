/**
 * Contexts, as kubectl keeps them: named API URLs with their keys in one file readable by its
 * owner only, one of them current.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, ExitCode, usage } from './errors';

export interface Context {
  url: string;
  key?: string;
}

export interface ContextsFile {
  currentContext?: string;
  contexts: Record<string, Context>;
}

/** What a command talks to: the context's URL and key after the environment's overrides. */
export interface Target {
  /** The context it came from; absent when the environment alone names the API. */
  context?: string;
  url: string;
  key?: string;
}

export const DEFAULT_CONTEXT = 'default';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** `FIREBREAK_CONFIG`, else `$XDG_CONFIG_HOME/firebreak/config.json`, else `~/.config/firebreak/config.json`. */
export function contextsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FIREBREAK_CONFIG) return env.FIREBREAK_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'firebreak', 'config.json');
}

export class Contexts {
  constructor(
    readonly path: string,
    /** Says what the user should know (a file others may read) without stopping the command. */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  read(): ContextsFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} };
      throw new CliError(`cannot read ${this.path}: ${(error as Error).message}`);
    }
    if ((statSync(this.path).mode & 0o077) !== 0) {
      this.warn(`${this.path} holds API keys and others may read it: chmod 600 it (the next login does)`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(`${this.path} is not JSON; fix or delete it`);
    }
    const file = parsed as Partial<ContextsFile>;
    if (typeof file !== 'object' || file === null || typeof file.contexts !== 'object' || file.contexts === null) {
      throw new CliError(`${this.path} has no "contexts" object; fix or delete it`);
    }
    return { currentContext: file.currentContext, contexts: file.contexts };
  }

  /** Writes the whole file, replacing it in one step, readable by its owner only. */
  write(file: ContextsFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is masked by the umask; set it outright.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  /** Adds or replaces a context and makes it current. */
  save(name: string, context: Context): void {
    if (!NAME_PATTERN.test(name)) throw usage(`context name "${name}": letters, digits, . _ - only, at most 63`);
    const file = this.read();
    file.contexts[name] = context;
    file.currentContext = name;
    this.write(file);
  }

  use(name: string): void {
    const file = this.read();
    if (!Object.hasOwn(file.contexts, name)) throw new CliError(`no context "${name}"; firebreak context ls lists them`, ExitCode.NotFound);
    file.currentContext = name;
    this.write(file);
  }

  remove(name: string): void {
    const file = this.read();
    if (!Object.hasOwn(file.contexts, name)) throw new CliError(`no context "${name}"`, ExitCode.NotFound);
    delete file.contexts[name];
    if (file.currentContext === name) delete file.currentContext;
    this.write(file);
  }

  /**
   * The API a command talks to: the named context (else the current one), with
   * `FIREBREAK_URL` and `FIREBREAK_KEY` taking precedence over its URL and key.
   */
  target(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Target {
    const file = this.read();
    const chosen = name ?? file.currentContext;
    const context = chosen !== undefined && Object.hasOwn(file.contexts, chosen) ? file.contexts[chosen] : undefined;
    if (name !== undefined && !context) throw new CliError(`no context "${name}"; firebreak context ls lists them`, ExitCode.NotFound);
    const url = env.FIREBREAK_URL || context?.url;
    if (!url) throw usage('no API to talk to: run firebreak login --url <api> --key <key>, or set FIREBREAK_URL and FIREBREAK_KEY');
    return { context: context ? chosen : undefined, url: checkUrl(url), key: env.FIREBREAK_KEY || context?.key };
  }
}

/** The API's base URL without a trailing slash; refuses what fetch could not use. */
export function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(`"${url}" is not a URL; give the API's, e.g. http://127.0.0.1:3000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usage(`the API's URL must be http or https, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw usage('put the key in --key (or FIREBREAK_KEY), not in the URL');
  return url.replace(/\/+$/, '');
}
