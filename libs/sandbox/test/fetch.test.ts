import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxOutcome } from '@webrequests/contracts';
import { createThreadSandbox, type ThreadSandbox } from '@webrequests/sandbox';
// The guard is not part of the package's public face; its address table is tested on the module.
import { addressRange } from '../src/address-guard';
import { request } from './scenario-request';

const BIG_BYTES = 6 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  switch (req.url) {
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json', 'X-Test': 'yes' }).end(JSON.stringify({ hello: 'wörld', n: 1 }));
      return;
    case '/echo':
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, contentType: req.headers['content-type'] ?? null, token: req.headers['x-token'] ?? null, body: body.toString('hex') }));
      return;
    case '/redirect-same':
      res.writeHead(302, { location: '/json' }).end();
      return;
    case '/redirect-out':
      res.writeHead(302, { location: 'http://elsewhere.test/secret' }).end();
      return;
    case '/big':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(BIG_BYTES, 1));
      return;
    case '/big-chunked':
      // No content-length: the cap must hold while the body streams in.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let sent = 0; sent < BIG_BYTES; sent += 64 * 1024) res.write(Buffer.alloc(64 * 1024, 1));
      res.end();
      return;
    case '/slow':
      setTimeout(() => res.end('late'), 100);
      return;
    default:
      res.writeHead(404).end('no such page');
  }
}

let server: Server;
let port: number;
let off: ThreadSandbox;
let literal: ThreadSandbox;
let anyHost: ThreadSandbox;

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  off = createThreadSandbox({ threads: 1, memoryMb: 128 });
  literal = createThreadSandbox({ threads: 1, memoryMb: 128, fetchAllow: [`127.0.0.1:${port}`] });
  anyHost = createThreadSandbox({ threads: 1, memoryMb: 128, fetchAllow: ['*'] });
});

afterAll(async () => {
  await Promise.all([off.close(), literal.close(), anyHost.close()]);
  server.close();
});

function base(): string {
  return `http://127.0.0.1:${port}`;
}

async function output(sandbox: ThreadSandbox, source: string): Promise<Record<string, unknown>> {
  const outcome: SandboxOutcome = await sandbox.run(request(source));
  if (outcome.kind !== 'output') throw new Error(`expected an output, got ${JSON.stringify(outcome.error)}`);
  return outcome.output;
}

async function failure(sandbox: ThreadSandbox, source: string): Promise<string> {
  const outcome = await sandbox.run(request(source));
  if (outcome.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(outcome.output)}`);
  expect(outcome.error.code).toBe('scenario_failed');
  return outcome.error.message;
}

describe('fetch off', () => {
  it('has no fetch and says how to turn it on when a scenario calls it', async () => {
    expect(await output(off, 'return { type: typeof fetch }')).toEqual({ type: 'undefined' });
    expect(await failure(off, `await fetch('${base()}/json')`)).toMatch(/^TypeError: fetch is not a function \(fetch is off: set SCENARIO_FETCH_ALLOW\)( \(line 1, column 7\))?$/);
  });

  it('refuses an invalid allow-list pattern when the sandbox is built', () => {
    expect(() => createThreadSandbox({ threads: 1, memoryMb: 128, fetchAllow: ['http://api.example.com/path'] })).toThrow(/SCENARIO_FETCH_ALLOW: "http:\/\/api.example.com\/path" is not a host pattern/);
  });
});

describe('fetch to a host listed literally', () => {
  it('answers status, lower-case headers and a JSON body, even on a loopback address', async () => {
    const out = await output(
      literal,
      `const res = await fetch('${base()}/json');
       const data = await res.json();
       return { ok: res.ok, status: res.status, url: res.url, type: res.headers['content-type'], test: res.headers['x-test'], data, text: await res.text(), frozen: Object.isFrozen(res) };`,
    );
    expect(out).toEqual({ ok: true, status: 200, url: `${base()}/json`, type: 'application/json', test: 'yes', data: { hello: 'wörld', n: 1 }, text: '{"hello":"wörld","n":1}', frozen: true });
  });

  it('sends a POST body: a plain object as JSON, a string or bytes as they are', async () => {
    const out = await output(
      literal,
      `const post = async (body, headers) => (await fetch('${base()}/echo', { method: 'post', headers, body })).json();
       const json = await post({ a: 1 }, { 'X-Token': 't-1' });
       const text = await post('hi', { 'Content-Type': 'text/plain' });
       const bytes = await post(new Uint8Array([0, 255, 7]));
       const res = await fetch('${base()}/echo', { method: 'PUT', body: 'x' });
       return { json, text, bytes, status: res.status, statusText: res.statusText };`,
    );
    expect(out).toEqual({
      json: { method: 'POST', contentType: 'application/json', token: 't-1', body: Buffer.from('{"a":1}').toString('hex') },
      text: { method: 'POST', contentType: 'text/plain', token: null, body: Buffer.from('hi').toString('hex') },
      bytes: { method: 'POST', contentType: null, token: null, body: '00ff07' },
      status: 201,
      statusText: 'Created',
    });
  });

  it('answers the body as bytes', async () => {
    const out = await output(literal, `const res = await fetch('${base()}/nowhere'); const b = await res.bytes(); return { ok: res.ok, status: res.status, first: b[0], length: b.length, isU8: b instanceof Uint8Array }`);
    expect(out).toEqual({ ok: false, status: 404, first: 'n'.charCodeAt(0), length: 'no such page'.length, isU8: true });
  });

  it('follows a redirect within the allowed host', async () => {
    const out = await output(literal, `const res = await fetch('${base()}/redirect-same'); return { status: res.status, url: res.url, redirected: res.redirected, data: await res.json() }`);
    expect(out).toEqual({ status: 200, url: `${base()}/json`, redirected: true, data: { hello: 'wörld', n: 1 } });
  });

  it('refuses a redirect to a host not on the list', async () => {
    expect(await failure(literal, `await fetch('${base()}/redirect-out')`)).toBe('Error: fetch refused: a redirect to elsewhere.test is not in SCENARIO_FETCH_ALLOW');
  });

  it('fails on a response body over 5 MiB', async () => {
    const tooLarge = `Error: fetch failed: the response from ${base()} is larger than ${5 * 1024 * 1024} bytes`;
    expect(await failure(literal, `await fetch('${base()}/big')`)).toBe(tooLarge);
    expect(await failure(literal, `await fetch('${base()}/big-chunked')`)).toBe(tooLarge);
  });
});

describe('fetch refusals', () => {
  it('refuses a host that is not on the list, and the same host on another port', async () => {
    expect(await failure(literal, "await fetch('http://example.com/')")).toBe('Error: fetch refused: example.com is not in SCENARIO_FETCH_ALLOW');
    expect(await failure(literal, `await fetch('http://127.0.0.1:${port + 1}/')`)).toBe(`Error: fetch refused: 127.0.0.1:${port + 1} is not in SCENARIO_FETCH_ALLOW`);
  });

  it('refuses other schemes', async () => {
    expect(await failure(anyHost, "await fetch('file:///etc/passwd')")).toBe('Error: fetch refused: only http and https URLs are allowed, not file:');
  });

  it('refuses loopback behind a * wildcard, as an IP literal and as a name resolved at connect time', async () => {
    expect(await failure(anyHost, `await fetch('${base()}/json')`)).toMatch(/^Error: fetch refused: 127\.0\.0\.1 is a loopback address/);
    expect(await failure(anyHost, `await fetch('http://[::ffff:127.0.0.1]:${port}/json')`)).toMatch(/^Error: fetch refused: ::ffff:7f00:1 is a loopback address/);
    expect(await failure(anyHost, `await fetch('http://localhost:${port}/json')`)).toMatch(/^Error: fetch refused: (127\.0\.0\.1|::1) \(the address of localhost\) is a loopback address/);
  });

  it('lets the scenario catch a refusal and go on', async () => {
    const out = await output(literal, "try { await fetch('http://example.com/'); return { caught: false } } catch (e) { return { caught: e instanceof Error, message: e.message } }");
    expect(out).toEqual({ caught: true, message: 'fetch refused: example.com is not in SCENARIO_FETCH_ALLOW' });
  });
});

describe('the address guard behind a * wildcard', () => {
  // Each is reached as an IP literal, so no name is resolved and nothing leaves this machine.
  it.each([
    ['IPv4-compatible IPv6 of a loopback address (::/96)', '::127.0.0.1', 'ipv4Compatible'],
    ['IPv4-compatible IPv6 of a private address', '::10.0.0.1', 'ipv4Compatible'],
    ['IPv4-compatible IPv6 of a public address', '::8.8.8.8', 'ipv4Compatible'],
    ['the discard prefix (100::/64)', '100::1', 'discard'],
    ['the rest of 100::/8, outside 2000::/3', '100:0:0:1::1', 'reserved'],
    ['a deprecated site-local address (fec0::/10)', 'fec0::1', 'deprecatedSiteLocal'],
    ['unassigned IPv6 outside 2000::/3', '4000::1', 'reserved'],
    ['an IPv4-translated address (::ffff:0:0/96)', '::ffff:0:7f00:1', 'rfc6145'],
    ['NAT64 (64:ff9b::/96) of a loopback address', '64:ff9b::127.0.0.1', 'loopback'],
    ['NAT64 of a private address', '64:ff9b::192.168.1.1', 'private'],
    ['local-use NAT64 (64:ff9b:1::/48)', '64:ff9b:1::808:808', 'rfc6052'],
    ['6to4 (2002::/16) of a loopback address', '2002:7f00:1::1', 'loopback'],
    ['6to4 of a private address', '2002:a00:1::1', 'private'],
    ['Teredo (2001::/32)', '2001::1', 'teredo'],
    ['IPv6 documentation (2001:db8::/32)', '2001:db8::1', 'reserved'],
    ['IPv6 documentation (3fff::/20)', '3fff::1', 'reserved'],
    ['an IPv4-mapped private address', '::ffff:10.0.0.1', 'private'],
    ['IPv4 benchmarking (198.18.0.0/15)', '198.18.0.1', 'reserved'],
    ['IPv4 carrier-grade NAT', '100.64.0.1', 'carrierGradeNat'],
  ])('refuses %s', async (_what, address, range) => {
    const literal = address.includes(':') ? `[${address}]` : address;
    const shown = new URL(`http://${literal}/`).hostname.replace(/^\[|\]$/g, '');
    const message = await failure(anyHost, `await fetch('http://${literal}:${port}/json')`);
    expect(message).toBe(`Error: fetch refused: ${shown} is a ${range} address; only public addresses are allowed unless the host is listed literally in SCENARIO_FETCH_ALLOW`);
  });

  it.each([
    ['::8.8.8.8', 'ipv4Compatible'],
    ['::127.0.0.1', 'ipv4Compatible'],
    ['0:0:0:0:0:0:a00:1', 'ipv4Compatible'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['fe80::1%eth0', 'linkLocal'],
    ['192.0.0.8', 'reserved'],
    ['192.31.196.1', 'as112'],
    ['192.52.193.1', 'amt'],
    ['192.88.99.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('classifies %s (a form a resolver may answer, not only a URL literal) as %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    'still takes the public address %s',
    (address) => {
      expect(addressRange(address)).toBe('unicast');
    },
  );
});

describe('fetch and the runs of a thread', () => {
  it('never delivers the answer of a finished run into a later run', async () => {
    await output(literal, `fetch('${base()}/slow').then(() => { globalThis.leaked = 1; console.log('late answer') }, () => console.log('late failure')); return {}`);
    const outcome = await literal.run(request('await sleep(300); return { leaked: typeof leaked }'));
    expect(outcome).toMatchObject({ kind: 'output', output: { leaked: 'undefined' }, logs: [] });
  });
});
