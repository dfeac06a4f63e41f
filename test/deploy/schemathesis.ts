/**
 * schemathesis (the PyPI package scripts/install-test-tools.sh pins into tools/venv) run
 * against a listening Firebreak: generated requests for every operation of an OpenAPI
 * document, its findings read from the JSON report it writes, not from its console output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCHEMATHESIS_BIN_ENV = 'FIREBREAK_SCHEMATHESIS_BIN';
const VENV_BIN = join(__dirname, '..', '..', 'tools', 'venv', 'bin', 'schemathesis');

/** The schemathesis executable: `$FIREBREAK_SCHEMATHESIS_BIN`, else tools/venv's; undefined when neither exists. */
export function findSchemathesis(): string | undefined {
  const named = process.env[SCHEMATHESIS_BIN_ENV];
  if (named) return existsSync(named) ? named : undefined;
  return existsSync(VENV_BIN) ? VENV_BIN : undefined;
}

export interface FuzzRun {
  /** The OpenAPI document (a file; fetched beforehand with a key, since /docs-json needs one). */
  schemaPath: string;
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` on every request. */
  key: string;
  /** Test cases per operation and phase. */
  maxExamples: number;
  seed: number;
  /** Each request's own bound, in seconds (an answer that never comes is reported as an error). */
  requestTimeoutSeconds: number;
  /** The whole run's bound: past it the process is killed and the run fails. */
  timeoutMs: number;
  checks: readonly string[];
  phases: readonly string[];
  /** Paths (OpenAPI templates, e.g. `/v1/incidents/{id}/events`) left out, as one regular expression. */
  excludePathRegex?: string;
  /** Keep the JSON report at this path, and the event stream beside it as .ndjson (default: a temporary folder, removed after). */
  reportPath?: string;
}

/** One failed check or error, as the report gives it. */
export interface FuzzFinding {
  operation: string;
  kind: 'check' | 'error';
  /** The check's name (`not_a_server_error`, …) or the error's type. */
  name: string;
  /** The failure's title and message (the message shows the answer it saw). */
  message: string;
}

export interface FuzzResult {
  exitCode: number | null;
  /** Operations schemathesis tested. */
  operations: number;
  /** Test cases generated (requests sent). */
  testCases: number;
  /** How many times each check ran, by name (from the event stream). */
  checksRun: Record<string, number>;
  findings: FuzzFinding[];
  /** The tail of schemathesis's own output, for a failure message. */
  output: string;
}

/** Runs schemathesis once; resolves when it exits (it runs in a child, so this process's API keeps answering). */
export async function runSchemathesis(bin: string, run: FuzzRun): Promise<FuzzResult> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-fuzz-'));
  const reportPath = run.reportPath ?? join(dir, 'report.json');
  const eventsPath = reportPath.replace(/\.json$/, '') + '.ndjson';
  const args = [
    'run',
    run.schemaPath,
    '--url',
    run.baseUrl,
    '--header',
    `Authorization: Bearer ${run.key}`,
    '--checks',
    run.checks.join(','),
    '--phases',
    run.phases.join(','),
    '--max-examples',
    String(run.maxExamples),
    '--seed',
    String(run.seed),
    '--workers',
    '1',
    '--request-timeout',
    String(run.requestTimeoutSeconds),
    // The key is given above: generated Authorization values would only test 401s.
    '--generation-with-security-parameters',
    'false',
    '--generation-database',
    'none',
    '--no-shrink',
    ...(run.excludePathRegex ? ['--exclude-path-regex', run.excludePathRegex] : []),
    '--report',
    'json,ndjson',
    '--report-json-path',
    reportPath,
    '--report-ndjson-path',
    eventsPath,
    '--no-color',
  ];
  try {
    const { exitCode, output } = await spawnBounded(bin, args, dir, run.timeoutMs);
    if (!existsSync(reportPath) || !existsSync(eventsPath)) throw new Error(`schemathesis (exit ${exitCode}) wrote no report:\n${output}`);
    return { exitCode, output, ...readReport(readFileSync(reportPath, 'utf8'), readFileSync(eventsPath, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnBounded(bin: string, args: string[], cwd: string, timeoutMs: number): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its own folder as working directory: no schemathesis.toml of the checkout is picked up.
    const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`schemathesis ran past ${timeoutMs} ms and was stopped:\n${output}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown, key: string): Json => (isObject(value) && isObject(value[key]) ? value[key] : {});
const numberAt = (value: unknown, key: string): number => (isObject(value) && typeof value[key] === 'number' ? value[key] : 0);

/**
 * The figures of the JSON run report (`--report json`) and the findings of the event stream
 * (`--report ndjson`): each scenario's failed checks with the failure's title and message,
 * and every error event. A finding repeated across scenarios is kept once.
 */
export function readReport(summaryJson: string, events: string): Omit<FuzzResult, 'exitCode' | 'output'> {
  const summary = JSON.parse(summaryJson) as unknown;
  if (!isObject(summary)) throw new Error('the schemathesis JSON report is not an object');
  const findings = new Map<string, FuzzFinding>();
  const checksRun: Record<string, number> = {};
  const add = (finding: FuzzFinding) => findings.set(`${finding.operation}|${finding.kind}|${finding.name}|${finding.message}`, finding);
  for (const line of events.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Json;
    const [type] = Object.keys(event);
    const body = objectAt(event, type);
    if (type === 'ScenarioFinished') {
      const recorder = objectAt(body, 'recorder');
      const operation = typeof recorder.label === 'string' ? recorder.label : '?';
      for (const checks of Object.values(objectAt(recorder, 'checks'))) {
        for (const check of Array.isArray(checks) ? checks : []) {
          if (!isObject(check) || typeof check.name !== 'string') continue;
          checksRun[check.name] = (checksRun[check.name] ?? 0) + 1;
          if (check.status === 'success') continue;
          const failure = objectAt(objectAt(check, 'failure_info'), 'failure');
          // A server error's message is empty: its status code says which (a 503 is not a 500).
          const status = typeof failure.status_code === 'number' ? ` [status ${failure.status_code}]` : '';
          add({ operation, kind: 'check', name: check.name, message: `${String(failure.title ?? check.status)}: ${String(failure.message ?? '')}${status}` });
        }
      }
      if (body.status === 'error') add({ operation, kind: 'error', name: 'scenario', message: JSON.stringify(body.error ?? body.skip_reason ?? 'error') });
    } else if (/Error$/.test(type)) {
      const operation = typeof body.label === 'string' ? body.label : '?';
      add({ operation, kind: 'error', name: type, message: JSON.stringify(body.info ?? body.value ?? body).slice(0, 2_000) });
    }
  }
  for (const error of Array.isArray(summary.errors) ? summary.errors : []) {
    add({ operation: isObject(error) && typeof error.label === 'string' ? error.label : '?', kind: 'error', name: 'run', message: JSON.stringify(error).slice(0, 2_000) });
  }
  const operations = objectAt(summary, 'operations');
  return {
    operations: numberAt(operations, 'tested'),
    testCases: numberAt(objectAt(summary, 'test_cases'), 'generated'),
    checksRun,
    findings: [...findings.values()],
  };
}
