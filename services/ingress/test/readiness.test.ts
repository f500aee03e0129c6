import request from 'supertest';
import { inProcessIngress, type InProcessIngress } from '../test-support/in-process-ingress';

/**
 * The ingress's readiness (`GET /readyz`, SPEC §5) with its real parts: the test Redis and a SQLite
 * store that is then closed, as a store that went away would be. (Redis going away is covered end to
 * end in services/stack/test/metrics.test.ts and errors.test.ts.)
 */
let ingress: InProcessIngress;
beforeAll(async () => {
  ingress = await inProcessIngress({ LOG_REQUESTS: 'false' });
});
afterAll(() => ingress.close());

it('answers /readyz 200 while Redis and the store answer, then 503 naming the store once it is gone, while /healthz stays 200', async () => {
  await request(ingress.app).get('/readyz').expect(200, { redis: 'ok', store: 'ok' });

  await ingress.store.close();
  await request(ingress.app).get('/readyz').expect(503, { redis: 'ok', store: 'down' });
  await request(ingress.app).get('/healthz').expect(200);
  // The public endpoint says so too, rather than failing some other way.
  const refused = await request(ingress.app).get('/api/webrequest/anything').expect(503);
  expect((refused.body as { error: { code: string } }).error.code).toBe('unavailable');
});
