// Lint: type-aware rules everywhere (a forgotten `await` on an activity is a bug), and a
// fence around deterministic and pure code: workflows, runbooks and core may not do I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
// An import of one of the repository's top-level folders, by relative path.
const topFolder = (...names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;
const ioLibraries = [
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@nestjs/*',
  'jira-client',
  '@octokit/*',
  '@aws-sdk/*',
  '@slack/*',
  'prom-client',
  'axios',
  'node-fetch',
  'undici',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'apps/web/dist/', 'tools/', '.data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js', 'scripts/*.mjs', 'bin/*.js'], maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 20 }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // What workflow code may import at run time is decided by folder, not by a list of files
    // (docs/decisions/2026-12-07-workflow-imports.md). Workflow modules, and what they import
    // at run time, are shared by every workflow of a worker thread and frozen
    // (SHARED_WORKFLOW_MODULES, apps/worker/src/workflow-bundle.ts); zod schemas memoise into
    // themselves, so they cannot be. core/model/ is zod-free and imported freely; core/schemas/,
    // zod and runbooks/ are imported for their types, and loaded at run time through
    // workflows/lazy.ts only. zod itself is shared through workflows/shared-zod.ts.
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', 'workflows/shared-zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^zod$|${topFolder('runbooks', 'core/schemas')}`,
              allowTypeImports: true,
              message: 'zod schemas cannot be shared by workflows: import their types only, or load the module with loadLazily (workflows/lazy.ts).',
            },
            {
              regex: topFolder('activities', 'temporal-client'),
              message: 'workflow code imports contracts from core/model/, never activity code.',
            },
            {
              regex: '^(\\.\\./)+record/(?!projection$)',
              message: 'workflow code reaches the record through its activities: import only record/projection (what a write carries).',
            },
          ],
        },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require']:not(CallExpression[callee.name='loadLazily'] > ArrowFunctionExpression > CallExpression)",
          message: 'load a module on first use with loadLazily (workflows/lazy.ts), the one place that says why.',
        },
      ],
    },
  },
  {
    // core/model/ is what workflow code imports at run time: no zod and no schemas there.
    files: ['core/model/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^zod$|^(\\.\\./)+schemas(/|$)',
              allowTypeImports: true,
              message: 'core/model/ is shared by workflows and stays zod-free: import schema types only, or move this to core/schemas/.',
            },
            { regex: topFolder('apps', 'workflows', 'activities', 'temporal-client', 'runbooks'), message: 'core is the bottom floor: it imports nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['core/schemas/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: topFolder('apps', 'workflows', 'activities', 'temporal-client', 'runbooks'), message: 'core is the bottom floor: it imports nothing above it.' }] },
      ],
    },
  },
  {
    // Shared by the API and activities: it may import core, and nothing that imports it.
    files: ['temporal-client/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: topFolder('apps', 'workflows', 'activities', 'runbooks'), message: 'temporal-client/ imports only core: nothing above it.' }] },
      ],
    },
  },
  {
    // The lasting record (PostgreSQL): shared by the API, the worker's activities and scripts.
    files: ['record/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: topFolder('apps', 'workflows', 'activities', 'temporal-client', 'runbooks'), message: 'record/ imports only core: nothing above it.' }] },
      ],
    },
  },
  {
    // Signing and checking what people are handed (acknowledgement links): the API and activities share it.
    files: ['security/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: topFolder('apps', 'workflows', 'activities', 'temporal-client', 'runbooks'), message: 'security/ imports only core: nothing above it.' }] },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: topFolder('workflows'), message: 'activities start workflows by type name, with signatures from core: never import workflow code.' }] },
      ],
    },
  },
  {
    // The console runs in the browser: server code reaches it as types only (zod, Nest and
    // Temporal would swell the bundle or not run at all). core/model/ is zod-free and pure.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^zod$|^@nestjs/|^@temporalio/|^(\\.\\./)+core/schemas(/|$)|^(\\.\\./)+api/src/',
              allowTypeImports: true,
              message: 'the console imports server code for its types only (`import type`); core/model/ may be imported.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'the console runs in the browser: there is no process.' }],
    },
  },
  {
    // A custom capability's implementation (`runbooks/capabilities/<file>.worker.ts`) is worker
    // code and may do I/O; workflow code loads runbooks and the declarations they import, so
    // nothing else in runbooks/ may import an implementation, or the list that loads them.
    files: ['runbooks/**/*.ts'],
    ignores: ['**/*.spec.ts', 'runbooks/**/*.worker.ts', 'runbooks/capabilities/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '\\.worker$|(^|/)capabilities(/index)?$|^\\.(/index)?$',
              message: 'a runbook imports the declaration of a capability (runbooks/capabilities/<file>), never its implementation (.worker) or the list of them.',
            },
            {
              regex: topFolder('activities', 'apps', 'temporal-client', 'workflows'),
              message: 'runbooks and capability declarations are workflow code: they import core/ only (an implementation, <file>.worker.ts, may import activities/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', 'runbooks/**/*.ts', 'core/**/*.ts', 'record/projection.ts'],
    ignores: ['**/*.spec.ts', 'runbooks/**/*.worker.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'workflows, runbooks and core stay deterministic and pure: no Node built-ins.' })),
          patterns: [{ group: ioLibraries, message: 'workflows, runbooks and core do no I/O: call an activity, or move this to apps/ or activities/.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'no I/O here: call an activity.' },
        { name: 'process', message: 'no environment access here: configuration is read once in apps/.' },
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow.' },
      ],
    },
  },
);
