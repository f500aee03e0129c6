import { createHmac, randomUUID } from 'node:crypto';
import { corpusFile } from '../test-support/corpus';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: the variables a scenario receives from a real HTTP request (SPEC §3), read back through an
 * echo scenario that returns them all as its JSON `$body`.
 */

const ECHO = 'return { $body: { event, script, user, url, method, headers, cookies, query, body, files, rawBody } };';

interface Echo {
  event: { id: string; type: string; async: boolean };
  script: { id: string };
  user: { id: null };
  url: string;
  method: string;
  headers: Record<string, string | string[]>;
  cookies: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  files: Array<{ field: string; filename: string; contentType: string; size: number; base64: string }>;
  rawBody: string;
}

/** Every byte value once, then a few that trip up text decoders. */
const BINARY = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xe2, 0x82])]);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

/** Registers an echo endpoint under `urlId`; answers its ids and URL. */
function echoEndpoint(urlId: string) {
  return stack.endpoint(urlId, ECHO);
}

async function echo(url: string, init?: RequestInit): Promise<Echo> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return JSON.parse(text) as Echo;
}

/** A multipart/form-data body built by hand, so the test knows every byte that was sent. */
function multipart(boundary: string, parts: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>): Buffer<ArrayBuffer> {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('identity variables', () => {
  it('gives event {id, type "$webRequest", async false}, script {id} and user {id: null}', async () => {
    const { url, id, scriptId } = await echoEndpoint('vars-identity');
    const vars = await echo(url);
    expect(vars.event).toEqual({ id, type: '$webRequest', async: false });
    expect(vars.script).toEqual({ id: scriptId });
    expect(vars.user).toEqual({ id: null });
    expect(id).not.toBe(scriptId);
  });
});

describe('url and method', () => {
  it('gives the full URL with all its parameters exactly as the caller sent it', async () => {
    const { url } = await echoEndpoint('vars-url');
    const sent = `${url}?b=2&a=1&a=3&x%20y=%C3%BC&nested[k]=v&empty=`;
    const vars = await echo(sent);
    expect(vars.url).toBe(sent);
  });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('gives method %s as sent', async (method) => {
    const { url } = await echoEndpoint(`vars-method-${method.toLowerCase()}`);
    const vars = await echo(url, { method });
    expect(vars.method).toBe(method);
  });

  it('runs HEAD requests with method "HEAD" and answers the scenario status and headers without a body', async () => {
    const { url } = await stack.endpoint('vars-method-head', "return { $status: 203, $headers: { 'X-Method': method, 'X-Url': url } };");
    const response = await fetch(`${url}?q=1`, { method: 'HEAD' });
    expect(response.status).toBe(203);
    expect(response.headers.get('x-method')).toBe('HEAD');
    expect(response.headers.get('x-url')).toBe(`${url}?q=1`);
    expect(await response.text()).toBe('');
  });

  it('ignores a trailing slash in the URL', async () => {
    const { url, id } = await echoEndpoint('vars-slash');
    const vars = await echo(`${url}/?k=v`);
    expect(vars.event.id).toBe(id);
    expect(vars.url).toBe(`${url}/?k=v`);
    expect(vars.query).toEqual({ k: 'v' });
  });

  it('serves a multi-segment urlId such as records/obj', async () => {
    const { url, id } = await echoEndpoint('records/obj');
    expect(url.endsWith('/api/webrequest/records/obj')).toBe(true);
    const vars = await echo(url);
    expect(vars.event.id).toBe(id);
    expect(vars.url).toBe(url);
    const missing = await fetch(url.replace('records/obj', 'records'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('headers, cookies and query', () => {
  it('gives request headers with lower-case names and their values unchanged', async () => {
    const { url } = await echoEndpoint('vars-headers');
    const vars = await echo(url, { headers: { 'X-Mixed-Case': 'Value With Caps', 'X-GitHub-Event': 'ping', Accept: 'application/json' } });
    expect(vars.headers['x-mixed-case']).toBe('Value With Caps');
    expect(vars.headers['x-github-event']).toBe('ping');
    expect(vars.headers.accept).toBe('application/json');
    expect(vars.headers.host).toBe(new URL(url).host);
    for (const name of Object.keys(vars.headers)) expect(name).toBe(name.toLowerCase());
    expect(vars.headers).not.toHaveProperty('X-Mixed-Case');
  });

  it('parses the Cookie header into an object, values URL-decoded', async () => {
    const { url } = await echoEndpoint('vars-cookies');
    const vars = await echo(url, { headers: { Cookie: 'session=abc123; theme=dark%20blue; empty=' } });
    expect(vars.cookies).toEqual({ session: 'abc123', theme: 'dark blue', empty: '' });
    expect(vars.headers.cookie).toBe('session=abc123; theme=dark%20blue; empty=');
  });

  it('gives no cookies as an empty object', async () => {
    const { url } = await echoEndpoint('vars-no-cookies');
    expect((await echo(url)).cookies).toEqual({});
  });

  it('parses the query string with nested a[b]=1 keys and arrays', async () => {
    const { url } = await echoEndpoint('vars-query');
    const vars = await echo(`${url}?a[b]=1&a[c][d]=deep&list=x&list=y&arr[]=1&arr[]=2&name=J%C3%BCrgen&plain`);
    expect(vars.query).toEqual({ a: { b: '1', c: { d: 'deep' } }, list: ['x', 'y'], arr: ['1', '2'], name: 'Jürgen', plain: '' });
  });
});

describe('body, files and rawBody', () => {
  it('gives a JSON object body parsed, with non-ASCII text and deep nesting intact, and rawBody byte-identical', async () => {
    const { url } = await echoEndpoint('vars-json-object');
    let deep: unknown = { leaf: 'Żółć 日本語 😀' };
    for (let i = 0; i < 40; i++) deep = { level: i, child: deep, list: [i, null, true] };
    const text = JSON.stringify({ greeting: 'Grüße, мир ✓', deep, n: 1.5e-7 }, null, 2);
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: text });
    expect(vars.body).toEqual(JSON.parse(text));
    expect(vars.rawBody).toBe(text);
    expect(vars.files).toEqual([]);
  });

  it('gives a JSON array body as the array', async () => {
    const { url } = await echoEndpoint('vars-json-array');
    const text = '[1,"two",{"three":[3]},null,false]';
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
    expect(vars.body).toEqual([1, 'two', { three: [3] }, null, false]);
    expect(vars.rawBody).toBe(text);
  });

  it('parses a +json media type (application/vnd.api+json) as JSON', async () => {
    const { url } = await echoEndpoint('vars-json-vnd');
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/vnd.api+json' }, body: '{"data":{"type":"orders","id":"1"}}' });
    expect(vars.body).toEqual({ data: { type: 'orders', id: '1' } });
  });

  it('keeps JSON keys named __proto__ and constructor as plain data', async () => {
    const { url } = await echoEndpoint('vars-json-proto');
    const text = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"ok":1}';
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
    expect(JSON.stringify(vars.body)).toBe(text);
  });

  it('gives a real GitHub webhook payload as JSON.parse of the file and rawBody as its exact text', async () => {
    const { url } = await echoEndpoint('vars-github-payload');
    const bytes = corpusFile('dependabot_alert', 'created.payload.json');
    const text = bytes.toString('utf8');
    expect(text).toMatch(/[^\x00-\x7f]/); // this payload holds emoji, which is why it was picked
    const vars = await echo(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'dependabot_alert', 'X-GitHub-Delivery': randomUUID() },
      body: bytes,
    });
    expect(vars.body).toEqual(JSON.parse(text));
    expect(vars.rawBody).toBe(text);
    expect(Buffer.from(vars.rawBody, 'utf8').equals(bytes)).toBe(true);
    expect(vars.headers['x-github-event']).toBe('dependabot_alert');
  });

  it('gives rawBody exact enough that an HMAC-SHA256 over it matches the X-Hub-Signature-256 GitHub would send', async () => {
    const secret = 'It’s a Secret to Everybody';
    const { url } = await stack.endpoint(
      'vars-hmac',
      `const secret = ${JSON.stringify(secret)};
       const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
       const given = String(headers['x-hub-signature-256'] ?? '');
       const valid = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
       if (!valid) return { $status: 401, valid, expected };
       return { valid, expected, action: body.action, sender: body.sender.login };`,
    );
    const bytes = corpusFile('pull_request_review_comment', 'created.with-organization.payload.json');
    const signature = `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
    const payload = JSON.parse(bytes.toString('utf8')) as { action: string; sender: { login: string } };
    const send = (sig: string, body: Buffer<ArrayBuffer>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'pull_request_review_comment', 'X-Hub-Signature-256': sig },
        body,
      });

    const good = await send(signature, bytes);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ valid: true, expected: signature, action: payload.action, sender: payload.sender.login });

    // One changed byte (same length, same JSON shape) must break the signature.
    const tampered = Buffer.from(bytes);
    tampered[tampered.indexOf('"action"') + 11] ^= 0x01;
    const bad = await send(signature, tampered);
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { valid: boolean }).valid).toBe(false);
  });

  it('gives an urlencoded form body as an object of fields, nested names parsed', async () => {
    const { url } = await echoEndpoint('vars-urlencoded');
    const text = 'user%5Bname%5D=J%C3%BCrgen+M&user[roles][]=admin&user[roles][]=dev&flag=&note=a%26b%3Dc';
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: text });
    expect(vars.body).toEqual({ user: { name: 'Jürgen M', roles: ['admin', 'dev'] }, flag: '', note: 'a&b=c' });
    expect(vars.rawBody).toBe(text);
    expect(vars.files).toEqual([]);
  });

  it('gives a multipart form as fields in body and file parts in files, with the exact bytes of a binary file', async () => {
    const { url } = await echoEndpoint('vars-multipart');
    const boundary = `----wr${randomUUID()}`;
    const sent = multipart(boundary, [
      { name: 'title', value: 'Grüße' },
      { name: 'meta[author]', value: 'Ann' },
      { name: 'meta[tags][]', value: 'a' },
      { name: 'meta[tags][]', value: 'b' },
      { name: 'upload', value: BINARY, filename: 'bytes.bin', type: 'application/octet-stream' },
      { name: 'note', value: 'héllo\r\nworld', filename: 'résumé 日本.txt', type: 'text/plain' },
    ]);
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: sent });
    expect(vars.body).toEqual({ title: 'Grüße', meta: { author: 'Ann', tags: ['a', 'b'] } });
    expect(vars.files).toEqual([
      { field: 'upload', filename: 'bytes.bin', contentType: 'application/octet-stream', size: BINARY.length, base64: BINARY.toString('base64') },
      { field: 'note', filename: 'résumé 日本.txt', contentType: 'text/plain', size: Buffer.byteLength('héllo\r\nworld'), base64: Buffer.from('héllo\r\nworld').toString('base64') },
    ]);
    expect(Buffer.from(vars.rawBody, 'base64').equals(sent)).toBe(true);
  });

  it('gives a multipart form without file parts an empty files array', async () => {
    const { url } = await echoEndpoint('vars-multipart-fields');
    const form = new FormData();
    form.append('a', '1');
    form.append('b', 'two');
    const vars = await echo(url, { method: 'POST', body: form });
    expect(vars.body).toEqual({ a: '1', b: 'two' });
    expect(vars.files).toEqual([]);
  });

  it.each([
    ['text/plain', 'hello\nworld ✓ ünïcode'],
    ['text/plain; charset=utf-8', '  leading and trailing spaces  '],
    ['application/xml', '<?xml version="1.0" encoding="UTF-8"?><order id="7"><item>Käse</item></order>'],
    ['text/csv', 'a,b\r\n1,2\r\n'],
  ])('gives a %s body as the string, and rawBody the same', async (type, text) => {
    const { url } = await echoEndpoint(`vars-text-${type.replace(/[^a-z]/g, '')}-${text.length}`);
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': type }, body: text });
    expect(vars.body).toBe(text);
    expect(vars.rawBody).toBe(text);
    expect(vars.files).toEqual([]);
  });

  it('gives body {} , rawBody "" and files [] when there is no body', async () => {
    const { url } = await echoEndpoint('vars-no-body');
    const get = await echo(url);
    expect(get.body).toEqual({});
    expect(get.rawBody).toBe('');
    expect(get.files).toEqual([]);
    const post = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expect(post.body).toEqual({});
    expect(post.rawBody).toBe('');
  });

  it('gives a binary (application/octet-stream) body as rawBody = base64 of the exact bytes', async () => {
    const { url } = await echoEndpoint('vars-binary');
    const vars = await echo(url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: BINARY });
    expect(vars.rawBody).toBe(BINARY.toString('base64'));
    expect(Buffer.from(vars.rawBody, 'base64').equals(BINARY)).toBe(true);
    expect(vars.files).toEqual([]);
  });
});

describe('the async flag', () => {
  it.each(['true', '1'])('runs ?async=%s in the background with event.async true in the record', async (flag) => {
    const { url, id } = await echoEndpoint(`vars-async-${flag}`);
    const response = await fetch(`${url}?async=${flag}&n=7`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"k":"v"}' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const processId = response.headers.get('x-process-id');
    expect(processId).toMatch(/^[0-9a-f-]{36}$/);
    const record = await stack.waitForProcess(processId!);
    expect(record.status).toBe('completed');
    expect(record.async).toBe(true);
    expect(record.webrequestId).toBe(id);
    const input = record.input as Echo;
    expect(input.event).toEqual({ id, type: '$webRequest', async: true });
    expect(input.query).toEqual({ async: flag, n: '7' });
    expect(input.body).toEqual({ k: 'v' });
    const output = record.output as { $body: Echo };
    expect(output.$body.event.async).toBe(true);
    expect(output.$body.rawBody).toBe('{"k":"v"}');
  });

  it.each(['false', '0', 'yes', 'TRUE', ''])('runs ?async=%s synchronously with event.async false', async (flag) => {
    const { url, id } = await echoEndpoint(`vars-sync-${flag || 'empty'}`);
    const response = await fetch(`${url}?async=${flag}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-process-id')).toBeNull();
    const vars = (await response.json()) as Echo;
    expect(vars.event).toEqual({ id, type: '$webRequest', async: false });
    expect(vars.query).toEqual({ async: flag });
  });
});
