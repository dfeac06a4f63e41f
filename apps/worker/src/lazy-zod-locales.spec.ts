import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { firebreakWebpackConfig } from './workflow-bundle';

/* eslint-disable @typescript-eslint/no-require-imports */
describe("zod's locales in the workflow bundle", () => {
  it("offers every locale zod's index does, each the same function", () => {
    const lazy = require('./lazy-zod-locales') as Record<string, unknown>;
    const real = require('zod/v4/locales/index.cjs') as Record<string, unknown>;
    const names = Object.keys(real).filter((name) => name !== '__esModule');
    expect(Object.keys(lazy).sort()).toEqual(names.sort());
    for (const name of names) expect(lazy[name]).toBe(real[name]);
  });

  it("replaces zod's index in workflow code that requires zod, as the compiled worker's does", async () => {
    const logger = { trace() {}, debug() {}, info() {}, log() {}, warn() {}, error: console.error };
    // Workflow code that loads zod the way compiled workflow code does: `require`, so zod's CommonJS build.
    // Inside the project (under node_modules/.cache), so the bundler resolves the SDK from it.
    const cache = join(__dirname, '../../../node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, 'firebreak-zod-'));
    const workflowsPath = join(dir, 'workflows.js');
    writeFileSync(
      workflowsPath,
      `const { z } = require(${JSON.stringify(require.resolve('zod'))});\n` +
        'exports.parsesWithZod = async (value) => z.object({ name: z.string() }).parse(value).name;\n',
    );
    let plain: { code: string };
    let firebreak: { code: string };
    try {
      plain = await bundleWorkflowCode({ workflowsPath, logger });
      firebreak = await bundleWorkflowCode({ workflowsPath, logger, webpackConfigHook: (config) => firebreakWebpackConfig(config) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(plain.code).toContain('"./node_modules/zod/v4/locales/index.cjs"');
    expect(firebreak.code).not.toContain('"./node_modules/zod/v4/locales/index.cjs"');
    expect(firebreak.code).toMatch(/lazy-zod-locales\.[jt]s"/);
  });
});
