import { newId, openStore, type Store } from '@webrequests/store';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * End to end: what a process record keeps (SPEC §5): input, output and logs capped by
 * PROCESS_RESULT_LIMIT with a truncation marker, and records pruned after PROCESS_RETENTION_DAYS.
 */

const LIMIT = 1024;

interface Truncated {
  truncated: true;
  bytes: number;
  preview: string;
}
interface LogEntry {
  level: string;
  message: string;
  at: number;
}

describe(`records capped at PROCESS_RESULT_LIMIT=${LIMIT}`, () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 1, env: { PROCESS_RESULT_LIMIT: String(LIMIT) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps a small input, output and logs whole', async () => {
    const small = await stack.endpoint('records/small', "console.log('hi'); return { n: body.n };");
    const response = await fetch(small.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
    expect(await response.json()).toEqual({ n: 1 });
    const [summary] = (await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${small.id}`)).items;
    const record = await stack.waitForProcess(summary!.id);
    expect(record.output).toEqual({ n: 1 });
    expect(record.input).toMatchObject({ body: { n: 1 }, rawBody: '{"n":1}' });
    expect((record.logs as LogEntry[]).map((l) => l.message)).toEqual(['hi']);
  });

  it('replaces an input and an output over the limit by a truncated marker, while the caller still gets the whole answer', async () => {
    const big = await stack.endpoint('records/big', "return { big: 'y'.repeat(3000), small: 1 };");
    const response = await fetch(big.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blob: 'z'.repeat(3000) }) });
    const answer = (await response.json()) as { big: string };
    expect(answer.big).toHaveLength(3000);
    const [summary] = (await stack.admin<{ items: Array<{ id: string }> }>('GET', `/processes?webrequestId=${big.id}`)).items;
    const record = await stack.waitForProcess(summary!.id);
    expect(record.status).toBe('completed');

    const output = record.output as Truncated;
    expect(output).toEqual({ truncated: true, bytes: JSON.stringify({ big: 'y'.repeat(3000), small: 1 }).length, preview: expect.any(String) });
    expect(output.preview).toHaveLength(LIMIT);
    expect(output.preview.startsWith('{"big":"yyyy')).toBe(true);

    const input = record.input as Truncated;
    expect(input.truncated).toBe(true);
    expect(input.bytes).toBeGreaterThan(3000);
    expect(input.preview).toHaveLength(LIMIT);
    expect(input.preview.startsWith('{"event":')).toBe(true);
  });

  it('keeps the first log entries that fit and ends them with a truncated marker', async () => {
    const chatty = await stack.endpoint('records/chatty', "for (let i = 0; i < 60; i++) console.log('line ' + i + ' ' + 'x'.repeat(40)); return { ok: true };");
    const response = await fetch(`${chatty.url}?async=true`);
    const record = await stack.waitForProcess(response.headers.get('x-process-id')!);
    expect(record.output).toEqual({ ok: true });
    const logs = record.logs as LogEntry[];
    const marker = logs.at(-1)!;
    expect(marker.level).toBe('warn');
    expect(marker.message).toMatch(/^\[truncated: /);
    const kept = logs.slice(0, -1);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(60);
    // The first entries, in order: what the scenario did first is what an operator needs.
    kept.forEach((entry, i) => expect(entry.message).toBe(`line ${i} ${'x'.repeat(40)}`));
    expect(marker.message).toContain(`${60 - kept.length} more entries`);
    expect(Buffer.byteLength(JSON.stringify(logs))).toBeLessThanOrEqual(LIMIT);
  });
});

describe('records expire after PROCESS_RETENTION_DAYS', () => {
  let stack: TestStack;
  let store: Store;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 0 });
    store = await openStore(stack.env.STORE_URL!);
  });
  afterAll(async () => {
    await store?.close();
    await stack?.stop();
  });

  async function seed(endpoint: { id: string; scriptId: string }, daysAgo: number): Promise<string> {
    const id = newId();
    await store.createProcess({
      id,
      webrequestId: endpoint.id,
      scriptId: endpoint.scriptId,
      async: true,
      requestId: `seed-${daysAgo}`,
      input: { daysAgo },
      createdAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
    });
    return id;
  }

  async function exists(id: string): Promise<boolean> {
    const response = await fetch(`${stack.ingresses[0]}/api/admin/processes/${id}`, { headers: { authorization: `Bearer ${stack.token}` } });
    await response.arrayBuffer();
    return response.status === 200;
  }

  it('prunes, when a worker starts, the records created longer ago than the retention, and keeps the others', async () => {
    const endpoint = await stack.endpoint('records/retention', 'return {};');
    const expired = [await seed(endpoint, 400), await seed(endpoint, 31)];
    const kept = [await seed(endpoint, 29), await seed(endpoint, 0)];
    for (const id of [...expired, ...kept]) expect(await exists(id)).toBe(true);

    await stack.addWorker({ PROCESS_RETENTION_DAYS: '30' });
    const until = Date.now() + 10_000;
    while ((await exists(expired[0]!)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    for (const id of expired) expect(await exists(id)).toBe(false);
    for (const id of kept) expect(await exists(id)).toBe(true);
  }, 30_000);
});
