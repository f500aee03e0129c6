import { startTestStack, type TestStack } from '../test-support/harness';
import { dropDatabase, freshDatabase, readDocument } from '../test-support/mongo-database';

const MONGO_URL = process.env.MONGO_URL;

if (!MONGO_URL) {
  describe('the stack on MongoDB', () => {
    it.skip('is SKIPPED: MONGO_URL is not set, so no webrequest ran end to end on MongoDB', () => undefined);
  });
} else {
  describe('the stack on MongoDB', () => {
    let stack: TestStack;
    const storeUrl = freshDatabase(MONGO_URL);

    beforeAll(async () => {
      stack = await startTestStack({ workers: 1, env: { STORE_URL: storeUrl } });
    }, 60_000);
    afterAll(async () => {
      await stack?.stop();
      await dropDatabase(storeUrl);
    });

    it('reports both Redis and the MongoDB store ready', async () => {
      const response = await fetch(`${stack.ingresses[0]}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ redis: 'ok', store: 'ok' });
    });

    it('answers a sync webrequest with the scenario output and keeps a completed record in MongoDB', async () => {
      const endpoint = await stack.endpoint(
        'mongo/sync',
        "console.log('sum of', body.a, body.b); return { $status: 201, $headers: { 'X-Sum': String(body.a + body.b) }, sum: body.a + body.b, method };",
      );
      const response = await fetch(`${endpoint.url}?trace=1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-request-id': 'mongo-sync-1' },
        body: JSON.stringify({ a: 40, b: 2 }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-sum')).toBe('42');
      expect(await response.json()).toEqual({ sum: 42, method: 'PUT' });

      // The record is written before the answer is published, so it is final already.
      const { items } = await stack.admin<{ items: Record<string, unknown>[] }>('GET', `/processes?webrequestId=${endpoint.id}`);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        webrequestId: endpoint.id,
        scriptId: endpoint.scriptId,
        async: false,
        status: 'completed',
        requestId: 'mongo-sync-1',
        error: null,
        // Output keys starting with `$` are what MongoDB restricts as field names: they must survive.
        output: { $status: 201, $headers: { 'X-Sum': '42' }, sum: 42, method: 'PUT' },
        logs: [expect.objectContaining({ level: 'log', message: 'sum of 40 2' })],
        worker: 'worker-1',
      });
      expect(items[0]!.input).toMatchObject({ method: 'PUT', body: { a: 40, b: 2 }, query: { trace: '1' } });
    });

    it('accepts an async webrequest at once and the MongoDB record goes from queued to completed', async () => {
      const endpoint = await stack.endpoint('mongo-async', "await sleep(800); console.info('done'); return { who: query.who, async: event.async };");
      const started = Date.now();
      const response = await fetch(`${endpoint.url}?async=true&who=ann`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
      expect(Date.now() - started).toBeLessThan(800);
      const processId = response.headers.get('x-process-id')!;
      expect(processId).toMatch(/^[0-9a-f-]{36}$/);

      const early = await stack.admin<Record<string, unknown>>('GET', `/processes/${processId}`);
      expect(['queued', 'running']).toContain(early.status);
      expect(early.finishedAt).toBeNull();

      const record = await stack.waitForProcess(processId);
      expect(record).toMatchObject({
        id: processId,
        webrequestId: endpoint.id,
        async: true,
        status: 'completed',
        output: { who: 'ann', async: true },
        error: null,
        logs: [expect.objectContaining({ level: 'info', message: 'done' })],
      });
      expect(Date.parse(String(record.finishedAt)) - Date.parse(String(record.startedAt))).toBeGreaterThanOrEqual(800);
      expect(record.durationMs).toBeGreaterThanOrEqual(800);

      const completed = await stack.admin<{ items: { id: string }[] }>('GET', `/processes?status=completed&webrequestId=${endpoint.id}`);
      expect(completed.items.map((item) => item.id)).toEqual([processId]);

      // The record is in MongoDB itself, not in some other store the services fell back to.
      const raw = await readDocument(storeUrl, 'processes', processId);
      expect(raw).toMatchObject({ _id: processId, status: 'completed', async: true, worker: 'worker-1' });
      expect(JSON.parse(String(raw!.output))).toEqual({ who: 'ann', async: true });
      expect(raw!.finishedAt).toBeInstanceOf(Date);
    });
  });
}
