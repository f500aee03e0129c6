import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, catalogProcess, type CatalogOutcome } from '../test-support/catalog-process';

/**
 * `npm run catalog -- run <scenario.js> [--request request.json] [--secret NAME=VALUE …]` (SPEC §11
 * "Local loop"), run as a real process: one scenario in the real sandbox, no Redis, no store.
 */

function catalogRun(args: string[], env: Record<string, string> = {}): Promise<CatalogOutcome> {
  return catalogProcess(['run', ...args], { env });
}

const dir = mkdtempSync(join(tmpdir(), 'wr-catalog-run-'));

/** Writes `name` into the test's folder and answers its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

it('prints a completed JSON answer: status line, headers, the body pretty-printed, then the logs', async () => {
  const scenario = file('hello.js', "console.log('hello', query.name ?? 'world');\nconsole.warn('two\\nlines');\nreturn { $headers: { 'X-Trace': 'abc' }, greeting: 'Hello', n: [1, 2] };\n");
  const outcome = await catalogRun([scenario]);
  expect(outcome).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'HTTP/1.1 200 OK',
      'X-Trace: abc',
      'Content-Type: application/json; charset=utf-8',
      '',
      '{',
      '  "greeting": "Hello",',
      '  "n": [',
      '    1,',
      '    2',
      '  ]',
      '}',
      '',
      'logs (2):',
      '  log    hello world',
      '  warn   two',
      '         lines',
      '',
    ].join('\n'),
  });
});

it('shapes the answer as the service does: $status, $headers (hop-by-hop ones dropped), a text $body', async () => {
  const scenario = file(
    'created.js',
    "return { $status: 201, $headers: { Location: '/orders/7', 'Set-Cookie': ['a=1', 'b=2'], Connection: 'close' }, $body: 'made\\nit' };",
  );
  const outcome = await catalogRun([scenario]);
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toBe(
    ['HTTP/1.1 201 Created', 'Location: /orders/7', 'Set-Cookie: a=1', 'Set-Cookie: b=2', 'Content-Type: text/plain; charset=utf-8', '', 'made', 'it', '', 'logs: none', ''].join('\n'),
  );
});

it('shows a binary $body as a note of its size and content type, and a null $body as empty', async () => {
  const png = await catalogRun([file('png.js', "return { $headers: { 'Content-Type': 'image/png' }, $body: new Uint8Array([137, 80, 78, 71, 0, 255]) };")]);
  expect(png.code).toBe(0);
  expect(png.stdout).toContain('Content-Type: image/png\n\n(binary body: 6 bytes, image/png)\n');
  const bytes = await catalogRun([file('bytes.js', 'return { $body: Buffer.from([1, 2, 3]) };')]);
  expect(bytes.stdout).toContain('Content-Type: application/octet-stream\n\n(binary body: 3 bytes, application/octet-stream)\n');
  const empty = await catalogRun([file('empty.js', 'return { $status: 204, $body: null };')]);
  expect(empty.stdout).toBe('HTTP/1.1 204 No Content\n\n(empty body)\n\nlogs: none\n');
});

it('gives the scenario the variables of the request a --request file describes', async () => {
  const scenario = file('echo.js', "return { method, url, query, body, rawBody, contentType: headers['content-type'], signature: headers['x-signature'], cookies, files, event, script };");
  const request = file(
    'request.json',
    JSON.stringify({ method: 'put', path: '/items/7', query: { 'a[b]': '1', tag: ['x', 'y'] }, headers: { 'X-Signature': 's1', Cookie: 'sid=abc' }, body: { n: 1 } }),
  );
  const outcome = await catalogRun([scenario, '--request', request], { PORT: '3999' });
  expect(outcome.code).toBe(0);
  const body = outcome.stdout.slice(outcome.stdout.indexOf('\n\n') + 2, outcome.stdout.lastIndexOf('\n\nlogs'));
  expect(JSON.parse(body)).toEqual({
    method: 'PUT',
    url: 'http://localhost:3999/api/webrequest/echo/items/7?a%5Bb%5D=1&tag=x&tag=y',
    query: { a: { b: '1' }, tag: ['x', 'y'] },
    body: { n: 1 },
    rawBody: '{"n":1}',
    contentType: 'application/json',
    signature: 's1',
    cookies: { sid: 'abc' },
    files: [],
    event: { id: 'local', type: '$webRequest', async: false },
    script: { id: 'echo' },
  });
});

it('runs a GET with no body when there is no --request file', async () => {
  const outcome = await catalogRun([file('bare.js', 'return { method, body, rawBody, query };')]);
  expect(outcome.stdout).toContain('{\n  "method": "GET",\n  "body": {},\n  "rawBody": "",\n  "query": {}\n}');
});

it('fills secrets from --secret NAME=VALUE, and masks their values in an error as the worker does', async () => {
  const shown = await catalogRun([file('secrets.js', 'return { secrets };'), '--secret', 'API_KEY=k-123', '--secret', 'other.token=a=b=c']);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain('{\n  "secrets": {\n    "API_KEY": "k-123",\n    "other.token": "a=b=c"\n  }\n}');
  const thrown = await catalogRun([file('leak.js', "console.log('key', secrets.API_KEY);\nthrow new Error('bad key ' + secrets.API_KEY);"), '--secret', 'API_KEY=k-123456']);
  expect(thrown.code).toBe(1);
  expect(thrown.stderr).toBe('scenario_failed: Error: bad key *** (line 2, column 7)\n');
  expect(thrown.stdout).toBe('logs (1):\n  log    key ***\n');
});

it('exits 1 for a scenario that throws, printing the error code, the message with its line, the frames and the logs', async () => {
  const scenario = file('throws.js', "console.log('before');\nfunction inner(x) {\n  return x.id.name;\n}\nreturn inner({});\n");
  const outcome = await catalogRun([scenario]);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr.split('\n')[0]).toBe("scenario_failed: TypeError: Cannot read properties of undefined (reading 'name') (line 3, column 15)");
  expect(outcome.stderr).toContain('    at inner (line 3, column 15)');
  expect(outcome.stderr).not.toContain(REPO_ROOT);
  expect(outcome.stdout).toBe('logs (1):\n  log    before\n');
});

it('exits 1 for an output that is not a valid answer, naming what is wrong', async () => {
  const outcome = await catalogRun([file('bad-status.js', "return { $status: '404' };")]);
  expect(outcome).toMatchObject({ code: 1, stderr: 'scenario_failed: $status must be an integer from 100 to 599, got "404"\n' });
});

it('stops a scenario at SYNC_TIMEOUT_MS and exits 1 with timeout', async () => {
  const outcome = await catalogRun([file('loop.js', 'while (true) {}')], { SYNC_TIMEOUT_MS: '500' });
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toMatch(/^timeout: /);
});

it('refuses a syntax error before running anything, naming the file and line', async () => {
  const scenario = file('broken.js', "console.log('never');\nreturn {;\n");
  const outcome = await catalogRun([scenario]);
  expect(outcome).toEqual({ code: 1, stdout: '', stderr: `${scenario}:2: SyntaxError: Unexpected token ';'\n` });
});

it('exits 1 with one line for a scenario or request file that does not exist', async () => {
  const missing = join(dir, 'missing.js');
  expect(await catalogRun([missing])).toEqual({ code: 1, stdout: '', stderr: `catalog: cannot read ${missing}: no such file\n` });
  const request = join(dir, 'missing.json');
  expect(await catalogRun([file('ok.js', 'return {};'), '--request', request])).toEqual({ code: 1, stdout: '', stderr: `catalog: cannot read ${request}: no such file\n` });
});

it.each([
  ['not JSON', '{"method":', 'is not JSON'],
  ['a bad method', '{"method":"GET ME"}', 'method: must be an HTTP method'],
  ['an unknown field', '{"source":"return 1"}', 'Unrecognized key: "source"'],
  ['a body its content type does not parse', '{"headers":{"Content-Type":"application/json"},"body":"{x"}', 'invalid_body: malformed JSON body'],
])('exits 1 for a request file with %s, saying why', async (_what, text, reason) => {
  const request = file('bad-request.json', text);
  const outcome = await catalogRun([file('ok.js', 'return {};'), '--request', request]);
  expect(outcome.code).toBe(1);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).toContain(`catalog: ${request}`);
  expect(outcome.stderr).toContain(reason);
});

it('prints its usage and exits 2 for wrong usage', async () => {
  const ok = file('ok.js', 'return {};');
  for (const args of [[], [ok, ok], [ok, '--request'], [ok, '--secret', 'NO_VALUE'], [ok, '--secret'], [ok, '--verbose'], ['--request', 'r.json']]) {
    const outcome = await catalogRun(args);
    expect({ args, code: outcome.code }).toEqual({ args, code: 2 });
    expect(outcome.stderr).toContain('npm run catalog -- run <scenario.js> [--request request.json] [--secret NAME=VALUE ...]');
  }
  expect(await catalogRun([ok, '--secret', '-x=1'])).toMatchObject({ code: 1, stderr: expect.stringContaining('a secret name is') });
});

it('needs neither Redis nor the store: a dead REDIS_URL and an unopenable STORE_URL change nothing', async () => {
  const deadPort = await new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
  const started = Date.now();
  const outcome = await catalogRun([file('alone.js', "console.log('ran');\nreturn { ok: true };")], { REDIS_URL: `redis://127.0.0.1:${deadPort}`, STORE_URL: 'sqlite:/nonexistent/dir/x.db' });
  expect(outcome).toEqual({ code: 0, stderr: '', stdout: 'HTTP/1.1 200 OK\nContent-Type: application/json; charset=utf-8\n\n{\n  "ok": true\n}\n\nlogs (1):\n  log    ran\n' });
  // It closes its sandbox and ends at once, rather than when something times out.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(existsSync('/nonexistent')).toBe(false);
});

it('runs from the root package as "npm run catalog -- run", as docs/scenarios.md shows with the contact form example', async () => {
  const request = file('contact.json', JSON.stringify({ body: { email: 'ada@example.com', message: 'Hello' } }));
  const outcome = await catalogProcess(['run', 'examples/scenarios/contact-form.js', '--request', request], { via: 'npm' });
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toContain('HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\n');
  expect(outcome.stdout).toContain('{\n  "ok": true,\n  "received": {\n    "email": "ada@example.com",\n    "message": "Hello"\n  }\n}\n\nlogs (1):\n  info   contact form received');
});
