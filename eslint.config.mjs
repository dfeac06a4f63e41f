// Lint: type-aware rules everywhere (a forgotten `await` on an activity is a bug), and a
// fence around deterministic and pure code: workflows, runbooks and core may not do I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
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
  { ignores: ['node_modules/', 'dist/', 'tools/', '.data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
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
    // Workflow modules, and what they import statically, are shared by every workflow of a
    // worker thread and frozen (SHARED_WORKFLOW_MODULES, apps/worker/src/workflow-bundle.ts).
    // zod schemas memoise into themselves, so they cannot be: workflow code imports their
    // types only, or loads them lazily where needed. zod itself is shared through
    // workflows/shared-zod.ts.
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', 'workflows/shared-zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['zod', '**/core/alert', '**/core/config', '**/core/incident-actions', '**/core/operator-config', '**/core/priority', '**/core/capabilities/common', '**/core/capabilities/chat', '**/core/capabilities/deploy', '**/core/capabilities/paging', '**/core/capabilities/scaling', '**/core/capabilities/status-page', '**/core/capabilities/ticketing', '**/core/capabilities/video', '**/runbooks/**'],
              allowTypeImports: true,
              message: 'this module builds zod schemas, which cannot be shared by workflows; import its types only, or require it lazily inside the workflow that needs it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts', 'runbooks/**/*.ts', 'core/**/*.ts'],
    ignores: ['**/*.spec.ts'],
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
