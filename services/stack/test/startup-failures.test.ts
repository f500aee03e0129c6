import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A service that cannot start says why in one line on stderr and exits non-zero (SPEC §6, issue 8):
 * a dead Redis within REDIS_CONNECT_TIMEOUT_MS, a port in use naming the variable that sets it, a data
 * folder or store that cannot be written. Never a stack trace, never a wait for ever.
 */
const ROOT = join(__dirname, '..', '..', '..');
const MAIN = {
  ingress: join(ROOT, 'services', 'ingress', 'dist', 'main.js'),
  worker: join(ROOT, 'services', 'worker', 'dist', 'main.js'),
  stack: join(ROOT, 'services', 'stack', 'dist', 'main.js'),
};
const STACK_FRAME = /^\s+at .+[:(]/m;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(main: string, env: Record<string, string>, cwd = ROOT): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [main], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'info', METRICS_PORT: '0', ...env }, cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The stderr of a failed start: exactly one line, and no stack frame anywhere in the output. */
function oneLine(outcome: Outcome): string {
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).not.toMatch(STACK_FRAME);
  expect(outcome.stdout).not.toMatch(STACK_FRAME);
  const lines = outcome.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer().listen(0, '0.0.0.0');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function deadRedisUrl(): Promise<string> {
  const { server, port } = await listening();
  await new Promise((resolve) => server.close(resolve));
  return `redis://:s3cret-pw@127.0.0.1:${port}`;
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'wr-startup-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a dead Redis', () => {
  it.each(['ingress', 'worker', 'stack'] as const)('%s: one line naming Redis and what to do, exit 1 within the connect timeout', async (service) => {
    const url = await deadRedisUrl();
    const outcome = await run(MAIN[service], { REDIS_URL: url, REDIS_CONNECT_TIMEOUT_MS: '1500', STORE_URL: `sqlite:${join(scratch, `${service}.db`)}`, PORT: '0' }, scratch);
    const line = oneLine(outcome);
    expect(line).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is unreachable \(.*ECONNREFUSED.*\) after 1\.5 s: start it, or set REDIS_URL/);
    expect(line).not.toContain('s3cret-pw');
    expect(`${outcome.stdout}${outcome.stderr}`).not.toContain('s3cret-pw');
    expect(outcome.ms).toBeGreaterThanOrEqual(1400);
    expect(outcome.ms).toBeLessThan(15_000);
  });
});

describe('a port in use', () => {
  let held: { server: Server; port: number };
  beforeAll(async () => {
    held = await listening();
  });
  afterAll(() => new Promise((resolve) => held.server.close(resolve)));

  it('ingress: names the port and PORT', async () => {
    const outcome = await run(MAIN.ingress, { REDIS_URL: process.env.TEST_REDIS_URL!, STORE_URL: 'sqlite::memory:', PORT: String(held.port), QUEUE_PREFIX: '{startup-a}' });
    expect(oneLine(outcome)).toBe(`port ${held.port} on 0.0.0.0 is already in use: stop what holds it, or set PORT to a free port`);
  });

  it('worker: names the port and WORKER_HTTP_PORT', async () => {
    const outcome = await run(MAIN.worker, {
      REDIS_URL: process.env.TEST_REDIS_URL!,
      STORE_URL: 'sqlite::memory:',
      WORKER_HTTP_PORT: String(held.port),
      QUEUE_PREFIX: '{startup-b}',
      WORKER_CONCURRENCY: '1',
    });
    expect(oneLine(outcome)).toBe(`port ${held.port} on 0.0.0.0 is already in use: stop what holds it, or set WORKER_HTTP_PORT to a free port`);
  });

  it('npm start: names the port and PORT before starting anything', async () => {
    const dir = mkdtempSync(join(scratch, 'port-'));
    const outcome = await run(MAIN.stack, { REDIS_URL: process.env.TEST_REDIS_URL!, PORT: String(held.port) }, dir);
    expect(oneLine(outcome)).toBe(`port ${held.port} on 0.0.0.0 is already in use: stop what holds it, or set PORT to a free port`);
  });
});

describe('a data folder that cannot be written', () => {
  it('npm start: names the folder and what to do', async () => {
    const dir = mkdtempSync(join(scratch, 'data-'));
    writeFileSync(join(dir, 'data'), 'a file where the data folder should be');
    const outcome = await run(MAIN.stack, { REDIS_URL: process.env.TEST_REDIS_URL!, PORT: '0' }, dir);
    expect(oneLine(outcome)).toBe(`cannot write the data folder ${join(dir, 'data')} (ENOTDIR): run from a folder you can write, or make ${join(dir, 'data')} a writable folder`);
  });

  it.each(['ingress', 'worker'] as const)('%s: a SQLite store whose folder cannot be made names it and STORE_URL', async (service) => {
    const blocker = join(scratch, `${service}-blocker`);
    writeFileSync(blocker, 'not a folder');
    const outcome = await run(MAIN[service], { REDIS_URL: process.env.TEST_REDIS_URL!, STORE_URL: `sqlite:${join(blocker, 'x.db')}`, PORT: '0', QUEUE_PREFIX: '{startup-c}' });
    // mkdir says EEXIST or ENOTDIR for a file in the way, depending on the platform.
    expect(oneLine(outcome)).toBe(
      `${service} could not start: cannot create the folder of the SQLite store at ${join(blocker, 'x.db')} (${/\((E[A-Z]+)\)/.exec(outcome.stderr)?.[1]}): make ${blocker} a writable folder, or set STORE_URL=sqlite:<a path you can write>`,
    );
    expect(outcome.stderr).toMatch(/\((EEXIST|ENOTDIR)\)/);
  });
});
