import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { inProcessIngress, type InProcessIngress } from '../test-support/in-process-ingress';

/**
 * The web console's files at /console (SPEC §11) when the console was never built: the ingress runs
 * and says how to build it. (The built console is tested in a browser: services/stack/test/console.test.ts.)
 */
let ingress: InProcessIngress;
let emptyDir: string;
beforeAll(async () => {
  emptyDir = mkdtempSync(join(tmpdir(), 'wr-no-console-'));
  ingress = await inProcessIngress({ LOG_REQUESTS: 'false' }, { consoleDir: join(emptyDir, 'dist') });
});
afterAll(async () => {
  await ingress.close();
  rmSync(emptyDir, { recursive: true, force: true });
});

it('answers 503 with a one-line message to run npm run build when the console is not built, and keeps serving the rest', async () => {
  for (const path of ['/console', '/console/', '/console/main.js']) {
    const response = await request(ingress.app).get(path).expect(503);
    expect(response.text).toBe('The web console is not built: run `npm run build`.\n');
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
  }
  await request(ingress.app).get('/healthz').expect(200);
});
