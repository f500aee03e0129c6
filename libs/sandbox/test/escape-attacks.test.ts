/**
 * Every public vm2 escape proof of concept we could find (see escapes/README.md), each run as a
 * scenario through the real sandbox. A PoC tries its escape and hands what it got to the shared
 * payload (escapes/_harness.js), which, given the host `process`, reads the environment, writes a
 * canary file, runs `touch` on a second one and opens a TCP connection to a server this test
 * listens on. For every PoC the test checks that none of that happened, that no environment value
 * or host path reached the outcome or its logs, and that the outcome is an output or a
 * `scenario_failed` error; after all of them, that the sandbox still runs a normal scenario.
 *
 * The sandbox under attack is made by `makeSandbox`, once, in `beforeAll`: swap it for another
 * `Sandbox` implementation and the same PoCs run against that one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import type { SandboxOutcome } from '@webrequests/contracts';
import { createProcessSandbox, type Sandbox } from '@webrequests/sandbox';
import { request, variables } from './scenario-request';

/**
 * The sandbox the PoCs run against: the worker's, a sandbox process (no credential in its
 * environment, Node's permission model) holding the thread that runs the scenario.
 */
function makeSandbox(): Sandbox {
  return createProcessSandbox({ processes: 1, concurrency: 1, memoryMb: 128 });
}

const ESCAPES = path.join(__dirname, 'escapes');
const HARNESS = readFileSync(path.join(ESCAPES, '_harness.js'), 'utf8');
/** Every PoC: the .js files of escapes/ whose name does not start with `_`. */
const POCS = readdirSync(ESCAPES)
  .filter((name) => name.endsWith('.js') && !name.startsWith('_'))
  .sort();
/** A PoC may binary-search stack depths or wait for promise jobs: give it time, but not for ever. */
const POC_TIMEOUT_MS = 60_000;
/** How long after a run a callback the PoC left behind could still act (a socket, a late promise job). */
const SETTLE_MS = 150;
/** Written into the environment of the test's own process: an escape that reads any environment it can reach must not bring it back. */
const ENV_NAME = 'WR_ESCAPE_CANARY';
const ENV_VALUE = `wr-escape-${randomBytes(12).toString('hex')}`;
/** The repository's root: a host path no outcome may carry (SPEC §4, errors never show one). */
const HOST_PATHS = [path.resolve(__dirname, '../../..'), path.join('node_modules', 'vm2')];

/** The scenario run for a PoC: the shared payload, then the PoC as the body of an async arrow of its own. */
function scenarioOf(poc: string): string {
  return `${HARNESS}\nconst __value = await (async () => {\n${poc}\n})();\nreturn __wr.finish(__value);\n`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let sandbox: Sandbox;
let server: Server;
let port: number;
let canaryDir: string;
const connections: string[] = [];
const sockets = new Set<Socket>();
let previousEnv: string | undefined;

beforeAll(async () => {
  previousEnv = process.env[ENV_NAME];
  process.env[ENV_NAME] = ENV_VALUE;
  canaryDir = mkdtempSync(path.join(tmpdir(), 'wr-escape-'));
  server = createServer((socket) => {
    connections.push(`${socket.remoteAddress}:${socket.remotePort}`);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  sandbox = makeSandbox();
  await (sandbox as { ready?: () => Promise<void> }).ready?.();
});

afterAll(async () => {
  await sandbox?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(canaryDir, { recursive: true, force: true });
  if (previousEnv === undefined) delete process.env[ENV_NAME];
  else process.env[ENV_NAME] = previousEnv;
});

interface Canaries {
  canaryFile: string;
  canaryTouch: string;
}

function canariesFor(poc: string): Canaries {
  const base = path.join(canaryDir, poc.replace(/\.js$/, ''));
  return { canaryFile: `${base}.written`, canaryTouch: `${base}.touched` };
}

function sourceOf(poc: string): string {
  return readFileSync(path.join(ESCAPES, poc), 'utf8');
}

async function runPoc(poc: string, canaries: Canaries): Promise<SandboxOutcome> {
  const source = scenarioOf(sourceOf(poc));
  const query = { ...canaries, port: String(port), envName: ENV_NAME };
  return sandbox.run(request(source, { scriptId: `escape-${poc}`, timeoutMs: POC_TIMEOUT_MS, variables: { ...variables, query } }));
}

/** What the harness reported, when the PoC ended with an output. */
interface HarnessReport {
  reached: string[];
  hostNode?: string;
  env?: string;
  envCanary?: string;
  environ?: string;
}

function reportOf(outcome: SandboxOutcome): HarnessReport | null {
  if (outcome.kind !== 'output') return null;
  const report = (outcome.output as { report?: HarnessReport }).report;
  return report ?? null;
}

describe('public vm2 escape PoCs, run as scenarios', () => {
  it('found the PoCs', () => {
    expect(POCS.length).toBeGreaterThan(50);
  });

  it.each(POCS)('%s reaches neither process, env, file system nor network', async (poc) => {
    const canaries = canariesFor(poc);
    const before = connections.length;
    const outcome = await runPoc(poc, canaries);
    await sleep(SETTLE_MS);
    const seen = JSON.stringify(outcome);
    if (process.env.WR_ESCAPE_VERBOSE) process.stdout.write(`${poc}: ${outcome.kind === 'output' ? `output ${JSON.stringify(outcome.output).slice(0, 600)}` : `${outcome.error.code} ${outcome.error.message.slice(0, 300)}`} (${outcome.durationMs} ms)\n`);

    expect({ poc, written: existsSync(canaries.canaryFile), touched: existsSync(canaries.canaryTouch) }).toEqual({ poc, written: false, touched: false });
    expect({ poc, connections: connections.slice(before) }).toEqual({ poc, connections: [] });
    expect(seen).not.toContain(ENV_VALUE);
    for (const hostPath of HOST_PATHS) expect({ poc, leaksHostPath: seen.includes(hostPath) }).toEqual({ poc, leaksHostPath: false });
    expect({ poc, reached: reportOf(outcome)?.reached ?? [], hostNode: reportOf(outcome)?.hostNode }).toEqual({ poc, reached: [], hostNode: undefined });
    if (outcome.kind === 'error') {
      expect({ poc, code: outcome.error.code, message: outcome.error.message }).toEqual({ poc, code: 'scenario_failed', message: outcome.error.message });
      // A PoC the syntax check or vm2's transformer refuses never ran: only expected where the PoC says so.
      if (!sourceOf(poc).includes('@refused-at-compile-ok')) expect({ poc, message: outcome.error.message }).not.toEqual({ poc, message: expect.stringMatching(/^SyntaxError/) });
    } else {
      expect(outcome.kind).toBe('output');
    }
  }, POC_TIMEOUT_MS + 10_000);

  it('still runs a normal scenario afterwards, with nothing of Node in scope and no built-in changed', async () => {
    const outcome = await sandbox.run(
      request(`
        const marks = [({}).__wrPolluted, [].__wrPolluted, Function.prototype.__wrPolluted, Buffer.__wrPolluted, Buffer.from('x').__wrPolluted,
          URL.__wrPolluted, new URL('http://a.test/').__wrPolluted, crypto.__wrPolluted, new Error('x').__wrPolluted, Promise.prototype.__wrPolluted];
        return {
          sum: 1 + 1,
          globals: [typeof process, typeof require, typeof module],
          marks: marks.map((mark) => typeof mark),
          hash: crypto.createHash('sha256').update(rawBody).digest('hex').length,
          page: query.page,
          stack: new Error('x').stack.split('\\n')[0],
          helpers: [new URL('/x?a=1', 'http://a.test').href, new URLSearchParams('a=1&b=2').get('b'), new TextDecoder().decode(new TextEncoder().encode('é')), Buffer.from('hi').toString('hex')],
        };
      `),
    );
    expect(outcome).toMatchObject({
      kind: 'output',
      output: {
        sum: 2,
        globals: ['undefined', 'undefined', 'undefined'],
        marks: Array(10).fill('undefined'),
        hash: 64,
        page: '2',
        stack: 'Error: x',
        helpers: ['http://a.test/x?a=1', '2', 'é', '6869'],
      },
    });
    expect(connections).toEqual([]);
  });
});

describe('the payload the PoCs share (control)', () => {
  it('does write, touch, connect and read the environment when it is handed a real process', async () => {
    // Outside the sandbox, in a plain node:vm context that is given the host `process`: proof that a
    // PoC that got hold of `process` would have been caught by the checks above.
    const canaries = canariesFor('control.js');
    const query = { ...canaries, port: String(port), envName: ENV_NAME };
    const source = scenarioOf("__wr.use(process, 'the host process, handed in'); return {};");
    const output = (await runInNewContext(`(async () => {\n${source}\n})()`, { query, process, sleep, console })) as { report: HarnessReport };
    await sleep(SETTLE_MS * 2);
    expect(existsSync(canaries.canaryFile)).toBe(true);
    expect(existsSync(canaries.canaryTouch)).toBe(true);
    expect(connections.length).toBeGreaterThanOrEqual(1);
    expect(output.report.reached).toEqual(expect.arrayContaining([expect.stringMatching(/^process via/), expect.stringMatching(/^fs via/), expect.stringMatching(/^child_process via/), expect.stringMatching(/^net via/)]));
    expect(output.report.envCanary).toBe(ENV_VALUE);
  });

  it('finds a require through __wr.eachRequire and attacks with it, when one is in scope', async () => {
    // A NodeVM-only advisory's PoC in a context that does have `require`: what it would do with one.
    const canaries = canariesFor('control-require.js');
    const query = { ...canaries, port: String(port), envName: ENV_NAME };
    const source = scenarioOf(sourceOf('ghsa-6rh5-qq4q-97xh.js'));
    const output = (await runInNewContext(`(async () => {\n${source}\n})()`, { query, require, sleep, console })) as { report: HarnessReport };
    await sleep(SETTLE_MS * 2);
    expect(output.report.reached).toEqual(expect.arrayContaining(['require via require', expect.stringMatching(/^fs via/)]));
    expect(existsSync(canaries.canaryFile)).toBe(true);
  });
});
