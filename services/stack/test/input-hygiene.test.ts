import { connect } from 'node:net';
import { once } from 'node:events';
import { startTestStack, type TestStack } from '../test-support/harness';

/** Issue "delivery guarantees", input hygiene: a slow body is cut, connections are capped, cookies stay strings. */
let stack: TestStack;
let port: number;

beforeAll(async () => {
  stack = await startTestStack({ env: { REQUEST_TIMEOUT_MS: '1500', MAX_CONNECTIONS: '20' } });
  port = Number(new URL(stack.ingresses[0]!).port);
});
afterAll(() => stack?.stop());

/** Opens a raw connection and writes `head`; answers the socket and a promise of all it receives. */
async function rawRequest(head: string): Promise<{ socket: ReturnType<typeof connect>; received: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(head);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  const received = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  return { socket, received };
}

it('cuts a body dribbled slower than REQUEST_TIMEOUT_MS with 408, and runs nothing', async () => {
  const { url, id } = await stack.endpoint('hygiene-slow', 'return { ran: true };');
  const path = new URL(url).pathname;
  const started = Date.now();
  const { socket, received } = await rawRequest(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
  const dribble = setInterval(() => socket.writable && socket.write(' '), 200);
  const text = await received;
  clearInterval(dribble);
  expect(text).toMatch(/^HTTP\/1\.1 408 /);
  // Cut near the limit, not at Node's own 300 s.
  expect(Date.now() - started).toBeLessThan(6000);
  expect(await stack.admin('GET', `/processes?webrequestId=${id}`)).toEqual({ items: [], nextCursor: null });
});

it('closes connections past MAX_CONNECTIONS at once, and serves again once they go', async () => {
  const held = await Promise.all(Array.from({ length: 20 }, () => rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\n')));
  const extra = await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  expect(await extra.received).toBe('');
  for (const { socket } of held) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect((await fetch(`${stack.ingresses[0]}/healthz`)).status).toBe(200);
});

it('hands cookies to the scenario as strings: a j: value stays text', async () => {
  const { url } = await stack.endpoint('hygiene-cookies', 'return { $body: { cookies, types: Object.values(cookies).map((v) => typeof v) } };');
  const response = await fetch(url, { headers: { cookie: 'prefs=j%3A%7B%22admin%22%3Atrue%7D; plain=1; __proto__=x' } });
  expect(await response.json()).toEqual({ cookies: { prefs: 'j:{"admin":true}', plain: '1', ['__proto__']: 'x' }, types: ['string', 'string', 'string'] });
});

it('builds url from the Host header only when it names this machine: another name gives localhost', async () => {
  const { url } = await stack.endpoint('hygiene-host', 'return { $body: { url } };');
  const path = new URL(url).pathname;
  const urlFor = async (host: string): Promise<string> => {
    const { received } = await rawRequest(`GET ${path}?a=1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const text = await received;
    return (JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { url: string }).url;
  };
  expect(await urlFor(`127.0.0.1:${port}`)).toBe(`http://127.0.0.1:${port}${path}?a=1`);
  expect(await urlFor(`localhost:${port}`)).toBe(`http://localhost:${port}${path}?a=1`);
  expect(await urlFor('evil.example')).toBe(`http://localhost:${port}${path}?a=1`);
  expect(await urlFor('evil.example/x?y=')).toBe(`http://localhost:${port}${path}?a=1`);
});
