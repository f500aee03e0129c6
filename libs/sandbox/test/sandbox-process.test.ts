import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createProcessSandbox, sandboxPermissions, type ProcessSandbox } from '@webrequests/sandbox';
import { request } from './scenario-request';

/**
 * SPEC §4 "Credential-free process": scenarios run in sandbox processes started with no credential in
 * their environment, under Node's permission model; one that dies fails only its own runs and is
 * replaced. Read from the OS (/proc), not from what the code says about itself.
 */
const SECRETS = { REDIS_URL: 'redis://:redis-pw-4417@10.0.0.9:6379', STORE_URL: 'mongodb://u:store-pw-8812@db/wr', ADMIN_TOKEN: 'admin-token-5550-abcdef', SECRETS_KEY: 'c2VjcmV0cy1rZXktOTk5OQ==' };
const saved: Record<string, string | undefined> = {};
let sandbox: ProcessSandbox;
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  server = createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, from: 'local server' }));
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as { port: number }).port;
  sandbox = createProcessSandbox({ processes: 2, concurrency: 2, memoryMb: 64, fetchAllow: [`127.0.0.1:${port}`] });
  await sandbox.ready();
});

afterAll(async () => {
  await sandbox?.close();
  server?.close();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
}

function cmdlineOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

describe('the sandbox processes', () => {
  it('hold no credential of the worker in their environment: only the IPC channel Node sets up', () => {
    expect(sandbox.pids).toHaveLength(2);
    for (const pid of sandbox.pids) {
      const environ = environOf(pid);
      expect(environ.map((entry) => entry.split('=')[0]).sort()).toEqual(['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE']);
      const text = environ.join('\n');
      for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    }
  });

  it("run under Node's permission model: reads of their code only, worker threads, nothing else", () => {
    for (const pid of sandbox.pids) {
      const args = cmdlineOf(pid);
      expect(args.some((arg) => arg === '--permission' || arg === '--experimental-permission')).toBe(true);
      expect(args).toContain('--allow-worker');
      expect(args.filter((arg) => /^--allow-(fs-write|child-process|addons|net|wasi)/.test(arg))).toEqual([]);
      const reads = args.filter((arg) => arg.startsWith('--allow-fs-read=')).map((arg) => arg.slice('--allow-fs-read='.length));
      expect(reads.length).toBeGreaterThan(0);
      // No data folder, no working directory, no root: only package folders.
      for (const path of reads) expect(path).toMatch(/(\/libs\/(sandbox|contracts|scenario-syntax)|\/node_modules\/(@webrequests\/[a-z-]+|vm2|acorn|acorn-walk))$/);
      expect(reads).not.toContain(process.cwd());
    }
  });

  it('run scenarios and carry out their fetches through the worker', async () => {
    const outcome = await sandbox.run(
      request(`const res = await fetch('http://127.0.0.1:${port}/hello'); console.log('fetched', res.status); return { status: res.status, body: await res.json(), process: typeof process, require: typeof require };`),
    );
    expect(outcome).toMatchObject({ kind: 'output', output: { status: 200, body: { path: '/hello', from: 'local server' }, process: 'undefined', require: 'undefined' } });
    expect(outcome.logs.map((entry) => entry.message)).toEqual(['fetched 200']);
  });

  it('limit the fetches one run has in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const slow = createServer((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 50);
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => slow.once('listening', resolve));
    const slowPort = (slow.address() as { port: number }).port;
    const allowed = createProcessSandbox({ processes: 1, concurrency: 1, memoryMb: 64, fetchAllow: [`127.0.0.1:${slowPort}`], fetchConcurrency: 2 });
    try {
      await allowed.ready();
      const outcome = await allowed.run(request(`const all = await Promise.all(Array.from({ length: 10 }, () => fetch('http://127.0.0.1:${slowPort}/').then((r) => r.text()))); return { n: all.length };`));
      expect(outcome).toMatchObject({ kind: 'output', output: { n: 10 } });
      expect(most).toBe(2);
    } finally {
      await allowed.close();
      slow.close();
    }
  });

  it('fail only the runs of a process that dies, and replace it', async () => {
    const before = sandbox.pids;
    const running = sandbox.run(request('await sleep(10_000); return { late: true };', { timeoutMs: 20_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = sandbox.run(request('await sleep(300); return { other: true };'));
    // Both processes hold a run now; one of them is killed.
    process.kill(before[0]!, 'SIGKILL');
    const [first, second] = await Promise.all([running, other]);
    const outcomes = [first, second];
    const crashed = outcomes.filter((outcome) => outcome.kind === 'error' && outcome.error.code === 'sandbox_crashed');
    expect(crashed.length).toBeGreaterThanOrEqual(1);
    expect(crashed.length).toBeLessThanOrEqual(2);
    for (const outcome of crashed) expect(outcome.kind === 'error' && outcome.error.message).toMatch(/sandbox process running the scenario died \(signal SIGKILL\); it was replaced/);
    await sandbox.ready();
    const until = Date.now() + 10_000;
    while (sandbox.pids.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandbox.pids).toHaveLength(2);
    expect(sandbox.pids).not.toContain(before[0]);
    expect(await sandbox.run(request('return { after: true };'))).toMatchObject({ kind: 'output', output: { after: true } });
  });

  it('stop a run whose typed arrays pass the memory cap (1.28 GB against 64 MB), and keep serving', async () => {
    const hog = await sandbox.run(request('const kept = []; for (let i = 0; i < 40; i++) kept.push(new Uint8Array(32 * 1024 * 1024).fill(1)); await sleep(1000); return { n: kept.length };', { timeoutMs: 20_000 }));
    expect(hog).toMatchObject({ kind: 'error', error: { code: 'scenario_failed', message: expect.stringMatching(/memory limit/) } });
    expect(await sandbox.run(request('return { fine: true };'))).toMatchObject({ kind: 'output', output: { fine: true } });
  });

  it('stop an endless loop at its deadline, and keep serving', async () => {
    const stuck = await sandbox.run(request('while (true) {}', { timeoutMs: 500 }));
    expect(stuck).toMatchObject({ kind: 'error', error: { code: 'timeout' } });
    expect(await sandbox.run(request('return { fine: true };'))).toMatchObject({ kind: 'output', output: { fine: true } });
  });

  it('stop a run when the operator does', async () => {
    const controller = new AbortController();
    const stopping = sandbox.run({ ...request('await sleep(10_000); return {};', { timeoutMs: 20_000 }), signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect(await stopping).toMatchObject({ kind: 'error', error: { code: 'aborted' } });
  });
});

describe("the permission flags, on this Node", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wr-perm-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('deny file writes, reads elsewhere and child processes (and the network from Node 25 on) to code they start', async () => {
    const probe = join(dir, 'probe.js');
    const canary = join(dir, 'canary.txt');
    writeFileSync(
      probe,
      `const tries = {
        write: () => require('fs').writeFileSync(${JSON.stringify(canary)}, 'x'),
        readElsewhere: () => require('fs').readFileSync('/etc/hostname'),
        child: () => require('child_process').execFileSync('true'),
      };
      const results = {};
      for (const [name, attempt] of Object.entries(tries)) {
        try { attempt(); results[name] = 'allowed'; } catch (error) { results[name] = error.code || error.message; }
      }
      const net = require('net').connect(${port}, '127.0.0.1');
      net.on('connect', () => { results.net = 'allowed'; done(); });
      net.on('error', (error) => { results.net = error.code || error.message; done(); });
      function done() { net.destroy(); process.stdout.write(JSON.stringify(results)); }`,
    );
    const { execArgv } = sandboxPermissions([dir]);
    const { stdout } = await promisify(execFile)(process.execPath, [...execArgv, probe], { env: {} });
    const results = JSON.parse(stdout) as Record<string, string>;
    expect({ write: results.write, readElsewhere: results.readElsewhere, child: results.child }).toEqual({ write: 'ERR_ACCESS_DENIED', readElsewhere: 'ERR_ACCESS_DENIED', child: 'ERR_ACCESS_DENIED' });
    expect(existsSync(canary)).toBe(false);
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 25) expect(results.net).toBe('ERR_ACCESS_DENIED');
    else expect(results.net).toBe('allowed'); // the documented Node 20–24 gap: a network policy closes it
  });
});

describe('SANDBOX_USER', () => {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const nobody = readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')).find((fields) => fields[0] === 'nobody');
  // The user must be able to run Node and read the code: then the sandbox starts; else it refuses to, saying why.
  let refusal: string | null = null;
  if (asRoot && nobody) {
    try {
      void createProcessSandbox({ processes: 1, concurrency: 1, memoryMb: 64, user: 'nobody' }).close();
    } catch (error) {
      refusal = (error as Error).message;
    }
  }
  const why = !asRoot ? 'the tests do not run as root' : !nobody ? 'this system has no user "nobody"' : refusal ? `the sandbox refuses it here (${refusal})` : null;
  if (why) console.log(`SANDBOX_USER test skipped: ${why}`);

  (refusal ? it : it.skip)('refuses, with one line saying why, a user that cannot run Node or read the code', () => {
    expect(refusal).toMatch(/^SANDBOX_USER=nobody cannot start a sandbox process: it cannot (enter|run|read) \/.+; make Node and the app's folders readable by that user, or unset SANDBOX_USER$/);
  });

  (why ? it.skip : it)('runs the sandbox processes as that user when the worker is root', async () => {
    const asNobody = createProcessSandbox({ processes: 1, concurrency: 1, memoryMb: 64, user: 'nobody' });
    try {
      await asNobody.ready();
      const [pid] = asNobody.pids;
      const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))!;
      expect([Number(uids[1]), Number(uids[2])]).toEqual([Number(nobody![2]), Number(nobody![2])]);
      expect(await asNobody.run(request('return { ok: true };'))).toMatchObject({ kind: 'output', output: { ok: true } });
    } finally {
      await asNobody.close();
    }
  });
});
