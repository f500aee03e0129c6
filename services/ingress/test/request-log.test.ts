import request from 'supertest';
import { inProcessIngress, type InProcessIngress } from '../test-support/in-process-ingress';

/** What an operator reads: one line per request at `info`, but probes and scrapes only at `debug`. */
describe.each(['info', 'debug'] as const)('the request log at LOG_LEVEL=%s', (level) => {
  let ingress: InProcessIngress;
  beforeAll(async () => {
    ingress = await inProcessIngress({ LOG_LEVEL: level });
  });
  afterAll(() => ingress.close());

  it(level === 'info' ? 'leaves out /healthz and /readyz, and logs the rest' : 'logs probes at debug', async () => {
    await request(ingress.app).get('/healthz').expect(200);
    await request(ingress.app).get('/readyz').expect(200);
    await request(ingress.app).post('/api/webrequest/no-such-endpoint').send({ a: 1 }).expect(404);
    // The log line is written when the response closes, just after supertest has it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requests = ingress.logLines().filter((line) => line.message === 'request');
    const byPath = Object.fromEntries(requests.map((line) => [line.path, line.level]));
    if (level === 'info') {
      expect(byPath).toEqual({ '/api/webrequest/no-such-endpoint': 'info' });
    } else {
      expect(byPath).toEqual({ '/healthz': 'debug', '/readyz': 'debug', '/api/webrequest/no-such-endpoint': 'info' });
    }
    expect(requests.find((line) => line.path === '/api/webrequest/no-such-endpoint')).toMatchObject({ status: 404, method: 'POST', requestId: expect.any(String) });
  });
});
