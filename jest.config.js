/** One jest run: unit, workflow (real Temporal server) and end-to-end API tests. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/tools/'],
  transform: {
    '/node_modules/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // @octokit/rest v22, @kubernetes/client-node 1.x and what they pull are ESM only: Node
  // requires them natively, jest does not, so @swc/jest compiles them to CommonJS like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(@octokit|universal-user-agent|before-after-hook|json-with-bigint|content-type|@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus)/)',
  ],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  // Test files run in a worker process, never in jest's own (which on two cores it would
  // choose): what one file leaves behind (a Nest app's modules, a Temporal runtime's buffers)
  // then goes with the worker, which is replaced once it holds more than this after a file.
  // In jest's own process it piled up over the whole run until the heap ran out.
  workerIdleMemoryLimit: '1GB',
};
