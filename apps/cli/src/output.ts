/** What the CLI prints: readable tables for people, `-o json` for scripts, colours only on a terminal. */
import type { FieldIssue } from './errors';

export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Longest cell a table prints; longer text ends in `…` (`-o json` has it whole). */
const MAX_CELL = 72;
/** Longest value `fields` prints (a run's result, an incident's summary). */
const MAX_FIELD = 240;

const COLOURS = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof COLOURS;

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Colours for a stream: on a terminal, unless `NO_COLOR` is set to anything (no-color.org). */
export function wantsColour(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** Control characters, and the invisible ones that reorder text or break a line (as core/model/text.ts lists them). */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
const UNPRINTABLE = new RegExp('[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\uFEFF]', 'gu');

/**
 * Text from the API made safe for a terminal: control characters (an escape sequence in an
 * alert's summary could rewrite the screen) become a visible `\xNN`, a newline or tab a space
 * (kept where `multiline`), and the invisible reordering characters are dropped.
 */
export function printable(text: string, multiline = false): string {
  return text.replace(UNPRINTABLE, (char) => {
    if (char === '\n' || char === '\t') return multiline ? char : ' ';
    const code = char.codePointAt(0) ?? 0;
    return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : '';
  });
}

export class Output {
  readonly colour: boolean;

  constructor(
    readonly format: OutputFormat,
    private readonly out: Stream = process.stdout,
    private readonly err: Stream = process.stderr,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.colour = wantsColour(out, env);
  }

  get json(): boolean {
    return this.format === 'json';
  }

  /** One JSON document (or, with `compact`, one line of a stream of them). */
  data(value: unknown, compact = false): void {
    this.out.write(`${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** A message for the person at the terminal (stderr), which `-o json` output never mixes with. */
  note(text: string): void {
    this.err.write(`${text}\n`);
  }

  error(message: string, issues: FieldIssue[] = []): void {
    const paint = wantsColour(this.err) ? (text: string) => `\u001b[31m${text}\u001b[39m` : (text: string) => text;
    this.err.write(`${paint('error:')} ${printable(message)}\n`);
    for (const issue of issues) {
      this.err.write(`  - ${printable(issue.path)}: ${printable(issue.message)}${issue.rule ? ` (${printable(issue.rule)})` : ''}\n`);
    }
  }

  paint(text: string, colour: Colour | undefined): string {
    if (!this.colour || !colour) return text;
    return `\u001b[${COLOURS[colour]}m${text}\u001b[${colour === 'dim' || colour === 'bold' ? 22 : 39}m`;
  }

  /** Aligned columns under upper-case headings; `colours` paints a column by its value. */
  table(headings: string[], rows: Array<Array<string | number | undefined>>, colours: Record<number, (value: string) => Colour | undefined> = {}): void {
    const cells = rows.map((row) => row.map((cell) => clip(printable(cell === undefined || cell === '' ? '-' : String(cell)), MAX_CELL)));
    const widths = headings.map((heading, column) => Math.max(heading.length, ...cells.map((row) => [...row[column]].length)));
    const render = (row: string[], paintCell: (value: string, column: number) => string) =>
      row
        .map((cell, column) => {
          const padded = column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length);
          return paintCell(padded, column);
        })
        .join('   ')
        .trimEnd();
    this.line(this.paint(render(headings.map((heading) => heading.toUpperCase()), (cell) => cell), 'bold'));
    for (const row of cells) this.line(render(row, (padded, column) => this.paint(padded, colours[column]?.(row[column]))));
  }

  /** `name  value` lines, aligned; empty values are left out. */
  fields(entries: Array<[string, string | number | undefined]>): void {
    const shown = entries.filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
    const width = Math.max(0, ...shown.map(([name]) => name.length));
    for (const [name, value] of shown) this.line(`${this.paint(name.padEnd(width), 'dim')}  ${clip(printable(String(value)), MAX_FIELD)}`);
  }
}

/** Text cut to `max` characters, the last of them `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Colours of the words people scan for. */
export const statusColour = (status: string): Colour | undefined =>
  ({
    triggered: 'red',
    acknowledged: 'yellow',
    investigating: 'yellow',
    mitigated: 'cyan',
    resolved: 'green',
    closed: 'dim',
    running: 'cyan',
    'waiting-approval': 'magenta',
    compensating: 'yellow',
    completed: 'green',
    failed: 'red',
    cancelled: 'dim',
    joined: 'dim',
    'over-budget': 'red',
    planned: 'dim',
  })[status] as Colour | undefined;

export const severityColour = (severity: string): Colour | undefined => (severity === 'SEV0' || severity === 'SEV1' ? 'red' : severity === 'SEV2' ? 'yellow' : undefined);

/** An ISO time to the second, in UTC: `2026-03-01 09:00:00Z`. */
export function time(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** How long ago, as kubectl says it: `45s`, `12m`, `3h`, `5d`. */
export function age(iso: string | undefined, now = Date.now()): string | undefined {
  if (!iso) return undefined;
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return undefined;
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A value as one short line of JSON (step arguments, defaults). */
export const compactJson = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));
