import type { Config } from 'jest';

/**
 * Tests import the libs and services through their public faces (`@webrequests/*`), which resolve to the
 * compiled `dist/` of each workspace: `npm test` builds first, so tests run the code that ships,
 * including the sandbox's worker-thread file. Test files themselves are transformed by SWC.
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/libs/local-redis/test-support/global-setup.js',
  globalTeardown: '<rootDir>/libs/local-redis/test-support/global-teardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
