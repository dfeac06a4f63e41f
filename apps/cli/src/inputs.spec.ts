import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, ExitCode } from './errors';
import { inputValue, looksLikeJson, parseTime, runbookInput, splitPair, stringMap } from './inputs';

const usageError = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.Usage);
    return (error as CliError).message;
  }
  throw new Error('expected a usage error');
};

describe('command-line values', () => {
  it('splits k=v at the first =, and refuses a pair without a key', () => {
    expect(splitPair('query=a=b', '--label')).toEqual(['query', 'a=b']);
    expect(splitPair('empty=', '--label')).toEqual(['empty', '']);
    expect(usageError(() => splitPair('=v', '--label'))).toBe('--label "=v" must be key=value');
    expect(usageError(() => splitPair('novalue', '--input'))).toBe('--input "novalue" must be key=value');
    expect(stringMap(['a=1', 'b=x=y', 'a=2'], '--label')).toEqual({ a: '2', b: 'x=y' });
  });

  it('parses values that look like JSON, and keeps text as text', () => {
    for (const json of ['4', '-1.5e3', 'true', 'false', 'null', '["U1"]', '{"a":1}', '"quoted"']) expect(looksLikeJson(json)).toBe(true);
    for (const text of ['prod', '1.2.3', '01', 'True', '4 replicas', '']) expect(looksLikeJson(text)).toBe(false);
    expect(inputValue('n', '4', undefined)).toBe(4);
    expect(inputValue('users', '["U1","U2"]', undefined)).toEqual(['U1', 'U2']);
    expect(inputValue('name', 'checkout', undefined)).toBe('checkout');
    expect(inputValue('version', '"1.10"', undefined)).toBe('1.10');
    expect(usageError(() => inputValue('users', '[U1]', undefined))).toMatch(/^--input users: .+ \(quote text that is not JSON: users='"…"'\)$/);
  });

  it('keeps a value as text where the schema takes only text', () => {
    expect(inputValue('version', '1.10', { type: 'string' })).toBe('1.10');
    expect(inputValue('stage', 'true', { enum: ['true', 'false'] })).toBe('true');
    expect(inputValue('count', '3', { type: 'integer' })).toBe(3);
    expect(inputValue('either', '3', { anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe(3);
  });

  it('reads --input-file, then lays each --input over it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'firebreak-inputs-')), 'input.json');
    writeFileSync(file, JSON.stringify({ cluster: 'prod', step: 2, keep: true }));
    const schema = { properties: { cluster: { type: 'string' }, step: { type: 'integer' }, tag: { type: 'string' } } };
    expect(runbookInput(['step=5', 'tag=007', 'extra={"a":[1]}'], file, schema)).toEqual({ cluster: 'prod', step: 5, keep: true, tag: '007', extra: { a: [1] } });
    writeFileSync(file, '[1, 2]');
    expect(usageError(() => runbookInput([], file, schema))).toBe(`--input-file ${file} must hold a JSON object`);
    writeFileSync(file, '{ nope');
    expect(usageError(() => runbookInput([], file, schema))).toMatch(/is not JSON/);
    expect(usageError(() => runbookInput([], join(file, 'missing'), schema))).toMatch(/^--input-file .+ENOTDIR|ENOENT/);
  });

  it('reads times as ISO with a zone, now, or now plus or minus a duration', () => {
    const now = Date.parse('2026-03-01T09:00:00Z');
    expect(parseTime('now', '--at', now)).toBe('2026-03-01T09:00:00.000Z');
    expect(parseTime('+8h', '--to', now)).toBe('2026-03-01T17:00:00.000Z');
    expect(parseTime('-30m', '--at', now)).toBe('2026-03-01T08:30:00.000Z');
    expect(parseTime('+2d', '--to', now)).toBe('2026-03-03T09:00:00.000Z');
    expect(parseTime('2026-03-01T10:00:00+01:00', '--at', now)).toBe('2026-03-01T10:00:00+01:00');
    for (const bad of ['tomorrow', '2026-03-01', '2026-03-01T10:00', '+8', '8h', '2026-13-45T99:00:00Z']) {
      expect(usageError(() => parseTime(bad, '--at', now))).toMatch(/^--at ".*": give an ISO time with a zone/);
    }
  });
});
