import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestStack, type TestStack } from '../test-support/harness';

let upstream: Server;
let upstreamPort: number;
let stack: TestStack;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, method: req.method }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
  // The upstream is listed literally, so its loopback address is allowed; nothing else is.
  stack = await startTestStack({ env: { SCENARIO_FETCH_ALLOW: `127.0.0.1:${upstreamPort}` } });
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

it('lets a scenario fetch a host the worker is configured to allow, and answers with what it got', async () => {
  const source = "const res = await fetch('http://127.0.0.1:' + query.port + '/orders/7?x=1'); return { status: res.status, upstream: await res.json() };";
  const { url } = await stack.endpoint('fetch-allowed', source);
  const answer = await fetch(`${url}?port=${upstreamPort}`);
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ status: 200, upstream: { path: '/orders/7?x=1', method: 'GET' } });
});

it('refuses a host that is not on the list, and the scenario can handle the refusal', async () => {
  const source = "try { await fetch('http://localhost:' + query.port + '/'); return { fetched: true }; } catch (e) { return { refused: String(e.message) }; }";
  const { url } = await stack.endpoint('fetch-refused', source);
  const answer = await fetch(`${url}?port=${upstreamPort}`);
  const body = (await answer.json()) as { refused?: string };
  expect(answer.status).toBe(200);
  expect(body.refused).toMatch(/refused/);
  expect(body.refused).toContain('localhost');
});
