/**
 * No circle of imports anywhere in the source: a circle ties its files into one knot that
 * can only be understood, tested and moved together, and a circle through a workflow module
 * pulls what it imports into every worker thread's shared modules. Type-only imports count:
 * they are how the knots of this kind began, and breaking one is a matter of moving a type
 * to the file both sides depend on. (Which folder may import which is the lint's part:
 * eslint.config.mjs.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';

const ROOT = join(__dirname, '..', '..');
const TSCONFIG = join(ROOT, 'tsconfig.json');

/** Every source folder the compiler checks, tests apart. */
function sourceFolders(): string[] {
  const { include } = JSON.parse(readFileSync(TSCONFIG, 'utf8')) as { include: string[] };
  return include.filter((entry) => entry !== 'test' && existsSync(join(ROOT, entry)) && !/\.[cm]?[jt]s$/.test(entry));
}

describe('the import graph', () => {
  it('has no circles, type-only imports and lazy requires included', async () => {
    const graph = await madge(
      sourceFolders().map((folder) => join(ROOT, folder)),
      {
        baseDir: ROOT,
        fileExtensions: ['ts'],
        tsConfig: TSCONFIG,
        excludeRegExp: [/\.spec\.ts$/, /node_modules/],
        detectiveOptions: { ts: { skipTypeImports: false, mixedImports: true } },
      },
    );
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    // Vite's package has exports and no main: only a bundler's resolution (apps/web's) finds it.
    expect(graph.warnings().skipped.filter((name) => name !== 'vite')).toEqual([]);
    expect(graph.circular().map((circle) => circle.join(' -> '))).toEqual([]);
  }, 60_000);
});
