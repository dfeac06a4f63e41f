import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundle } from '../../test/temporal';
import { CAPABILITY_FILES } from '.';

const ROOT = join(__dirname, '..', '..');

describe('the custom capabilities listed in runbooks/capabilities/index.ts', () => {
  it('lists every declaration in the folder, each with its implementation beside it', () => {
    const declarations = readdirSync(__dirname)
      .filter((name) => name.endsWith('.ts') && !/\.(worker|spec)\.ts$/.test(name) && name !== 'index.ts')
      .map((name) => `runbooks/capabilities/${name}`)
      .sort();
    expect(CAPABILITY_FILES.map(({ file }) => file).sort()).toEqual(declarations);
    for (const { implementationFile } of CAPABILITY_FILES) expect(existsSync(join(ROOT, implementationFile))).toBe(true);
  });

  it('keeps implementations out of the workflow bundle: workflow code holds the declarations runbooks import, never what the worker runs', () => {
    // The modules of the run's bundle, with the test runbooks (one of which uses feature-flags).
    const modules = [...readFileSync(workflowBundle().codePath, 'utf8').matchAll(/^\/\*{3}\/ "([^"]+)"/gm)].map(([, path]) => path);
    expect(modules).toContain('./runbooks/capabilities/feature-flags.ts');
    expect(modules.filter((path) => /\.worker\.ts$|capabilities\/index\.ts$|^\.\/activities\//.test(path))).toEqual([]);
  });
});
