import type { Config } from 'jest';
import base from './jest.config';

/**
 * The fault-injection suite (`npm run test:faults`): real services and a real Redis, killed, restarted
 * and cut under load (SPEC §8). One file at a time: each starts its own processes and several take
 * Redis away, so they must not share the machine's cores with each other.
 */
const config: Config = {
  ...base,
  roots: ['<rootDir>/services'],
  testMatch: ['**/faults/**/*.fault.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
};

export default config;
