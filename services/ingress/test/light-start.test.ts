import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The ingress checks scenario syntax on save through `@webrequests/scenario-syntax`; it must not load
 * the sandbox (vm2, piscina, undici) for that: they cost memory and start-up time in every replica,
 * and code the ingress does not need is code an attacker could reach. Nor does it load mongoose on a
 * SQLite store (~30 MB), or bull-board before someone opens the dashboard (~14 MB).
 */
it('starts without loading the sandbox or its libraries, mongoose on SQLite, or the dashboard', async () => {
  const main = join(__dirname, '..', 'dist', 'main.js');
  const preload = join(__dirname, '..', 'test-support', 'report-loaded-modules.js');
  // Without REDIS_URL the ingress stops at its config check, after every module of main.js is loaded.
  const env = { PATH: process.env.PATH, STORE_URL: 'sqlite::memory:' };
  const run = promisify(execFile)(process.execPath, ['-r', preload, main], { env, timeout: 20_000 });
  const failed = await run.then(
    () => {
      throw new Error('the ingress started without REDIS_URL');
    },
    (error: { stderr: string }) => error,
  );
  const report = failed.stderr.split('\n').find((line) => line.startsWith('{"loadedModules"'));
  const loaded = (JSON.parse(report!) as { loadedModules: string[] }).loadedModules;
  expect(loaded.some((file) => file.includes('/node_modules/express/'))).toBe(true); // the report sees what it should
  expect(loaded.some((file) => file.includes('/node_modules/acorn/'))).toBe(true);
  expect(loaded.filter((file) => /\/node_modules\/(vm2|piscina|undici|mongoose|mongodb|@bull-board)\//.test(file))).toEqual([]);
});
