import { gzipSync } from 'node:zlib';
import { startTestStack, type TestStack } from '../test-support/harness';
import { request } from 'node:http';

function raw(base: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; text: string; headers: any }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', headers }, (res) => {
      let t = ''; res.setEncoding('utf8'); res.on('data', (c) => (t += c)); res.on('end', () => resolve({ status: res.statusCode!, text: t, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('scratch', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startTestStack({ env: { SYNC_TIMEOUT_MS: '1500' } }); await stack.endpoint('echo', 'return { body, query, cookies, ct: headers["content-type"] ?? null };'); });
  afterAll(async () => { await stack.stop(); });
  it('probes', async () => {
    const b = stack.ingresses[0]!;
    const cases: Array<[string, string, Record<string, string>, any]> = [
      ['gzip bogus', '/api/webrequest/echo', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip'],
      ['gzip ok', '/api/webrequest/echo', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"a":1}')],
      ['br unknown enc', '/api/webrequest/echo', { 'content-type': 'application/json', 'content-encoding': 'bogus' }, '{}'],
      ['bad pct', '/api/webrequest/%E0%A4%A', {}, ''],
      ['proto query', '/api/webrequest/echo?__proto__[x]=1&a[__proto__][y]=2&constructor[prototype][z]=3', {}, ''],
      ['bad cookie', '/api/webrequest/echo', { cookie: 'a=%E0%A4%A; b; =c; d="x' }, ''],
      ['json charset', '/api/webrequest/echo', { 'content-type': 'application/json; charset=utf-16' }, '{"a":1}'],
      ['json charset bogus', '/api/webrequest/echo', { 'content-type': 'application/json; charset=foo' }, '{"a":1}'],
      ['json proto', '/api/webrequest/echo', { 'content-type': 'application/json' }, '{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}'],
      ['multipart empty boundary', '/api/webrequest/echo', { 'content-type': 'multipart/form-data; boundary=' }, 'abc'],
      ['multipart garbage', '/api/webrequest/echo', { 'content-type': 'multipart/form-data; boundary=zz' }, 'garbage without boundary'],
      ['multipart field only truncated', '/api/webrequest/echo', { 'content-type': 'multipart/form-data; boundary=zz' }, '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nval'],
      ['multipart bad header', '/api/webrequest/echo', { 'content-type': 'multipart/form-data; boundary=zz' }, '--zz\r\nBroken\r\n\r\nval\r\n--zz--'],
      ['content-type garbage', '/api/webrequest/echo', { 'content-type': ';;;=' }, 'xx'],
      ['deep json', '/api/webrequest/echo', { 'content-type': 'application/json' }, '['.repeat(5000) + ']'.repeat(5000)],
      ['urlencoded deep', '/api/webrequest/echo', { 'content-type': 'application/x-www-form-urlencoded' }, 'a' + '[b]'.repeat(100) + '=1'],
      ['urlencoded many', '/api/webrequest/echo', { 'content-type': 'application/x-www-form-urlencoded' }, Array.from({length: 5000}, (_, i) => `k${i}=1`).join('&')],
      ['xml', '/api/webrequest/echo', { 'content-type': 'application/xml' }, '<a>1</a>'],
      ['binary', '/api/webrequest/echo', { 'content-type': 'image/png' }, Buffer.from([0, 1, 2, 255])],
      ['request-id evil', '/api/webrequest/echo', { 'x-request-id': 'x\u0000y' } as any, ''],
    ];
    for (const [name, path, headers, body] of cases) {
      try {
        const r = await raw(b, path, headers, body);
        console.log(name, r.status, r.text.slice(0, 300));
      } catch (e) { console.log(name, 'ERR', String(e)); }
    }
    console.log('health', (await fetch(`${b}/healthz`)).status);
    console.log('alive', stack.services.map((s) => s.child.exitCode));
  }, 60000);
});
