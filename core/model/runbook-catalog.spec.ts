import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RUNBOOK_FILES } from '../../runbooks/catalog';
import { RUNBOOK_FILES as TEST_RUNBOOK_FILES } from '../../test/runbooks/catalog';
import { defineRunbook } from './runbook';
import { loadRunbook, loadRunbookCatalog, RunbookCatalogError, runbooksById, type RunbookFile } from './runbook-catalog';

const valid = (id: string) =>
  defineRunbook({ id, title: `Runbook ${id}`, description: 'Does one thing.', input: z.object({}), run: async () => undefined });

const file = (path: string, exported: unknown): RunbookFile => ({ file: path, load: jest.fn(() => ({ default: exported })) });

const problemsOf = (files: RunbookFile[]): string[] => {
  try {
    loadRunbookCatalog(files);
  } catch (error) {
    if (error instanceof RunbookCatalogError) return error.problems;
    throw error;
  }
  return [];
};

describe('the runbook catalog', () => {
  it('loads every shipped runbook, by id', () => {
    const catalog = loadRunbookCatalog(RUNBOOK_FILES);
    expect([...catalog.keys()]).toEqual(RUNBOOK_FILES.map(({ file: path }) => /([^/]+)\.runbook\.ts$/.exec(path)?.[1]));
  });

  it('names the file and the field of every mistake', () => {
    const problems = problemsOf([
      file('runbooks/not-a-runbook.runbook.ts', undefined),
      file('runbooks/Bad_Id.runbook.ts', valid('Bad_Id')),
      file('runbooks/renamed.runbook.ts', valid('original')),
      file('runbooks/untitled.runbook.ts', { ...valid('untitled'), title: '' }),
      file('runbooks/no-schema.runbook.ts', { ...valid('no-schema'), input: { type: 'object' } }),
      file('runbooks/triggered.runbook.ts', { ...valid('triggered'), triggers: [{ match: { alertname: 'HighCPU' } }] }),
      file('runbooks/twice.runbook.ts', valid('twice')),
      file('test/runbooks/twice.runbook.ts', valid('twice')),
    ]);
    expect(problems).toEqual([
      'runbooks/not-a-runbook.runbook.ts: the default export must be defineRunbook({...})',
      'runbooks/Bad_Id.runbook.ts: id: lowercase letters, digits and dashes',
      'runbooks/renamed.runbook.ts: id: "original" must match the file name (original.runbook.ts)',
      'runbooks/untitled.runbook.ts: title: required',
      'runbooks/no-schema.runbook.ts: input: must be a zod schema',
      'runbooks/triggered.runbook.ts: triggers.0: a runbook with triggers needs fromAlert to build its input',
      'test/runbooks/twice.runbook.ts: id: "twice" is used by another runbook',
    ]);
  });

  it('loads one runbook by id without evaluating the others', () => {
    const files = [file('runbooks/first.runbook.ts', valid('first')), file('runbooks/second.runbook.ts', valid('second'))];
    expect(loadRunbook(files, 'second')?.title).toBe('Runbook second');
    expect(files[0].load).not.toHaveBeenCalled();
    expect(files[1].load).toHaveBeenCalledTimes(1);
    expect(loadRunbook(files, 'third')).toBeUndefined();
  });

  it('refuses a broken runbook when loading it alone, naming its file', () => {
    const files = [file('runbooks/broken.runbook.ts', { ...valid('broken'), run: 'not a function' })];
    expect(() => loadRunbook(files, 'broken')).toThrow('runbooks/broken.runbook.ts: run: must be a function (ctx, input) => Promise');
  });

  it('registers runbooks by id, each in the file named after it', () => {
    expect(runbooksById('runbooks', { 'first': () => ({ default: valid('first') }) }).map(({ file: path }) => path)).toEqual([
      'runbooks/first.runbook.ts',
    ]);
    expect(problemsOf(runbooksById('runbooks', { first: () => ({ default: valid('second') }) }))).toEqual([
      'runbooks/first.runbook.ts: id: "second" must match the file name (second.runbook.ts)',
    ]);
  });

  it('registers every runbook file in its folder, and no file that is not there', () => {
    const onDisk = (folder: string) =>
      readdirSync(join(__dirname, '..', '..', folder))
        .filter((name) => name.endsWith('.runbook.ts'))
        .map((name) => `${folder}/${name}`)
        .sort();
    expect(RUNBOOK_FILES.map(({ file: path }) => path).sort()).toEqual(onDisk('runbooks'));
    expect(TEST_RUNBOOK_FILES.map(({ file: path }) => path).sort()).toEqual([...onDisk('runbooks'), ...onDisk('test/runbooks')].sort());
    expect([...loadRunbookCatalog(TEST_RUNBOOK_FILES).keys()]).toHaveLength(TEST_RUNBOOK_FILES.length);
  });
});
