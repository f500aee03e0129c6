import { startTestStack, type TestStack } from '../test-support/harness';
import { scrape, valueOf } from '../test-support/prometheus';
import { errorCodeOf, eventually, finishedLines, processesOf } from '../test-support/stack-probes';

/**
 * End to end, over two ingresses and two workers: de-duplication of deliveries (SPEC §10), atomic
 * across ingresses, by header, query and body keys, within the window only; and the limits per
 * endpoint, `maxConcurrent` (429 too_busy, slots freed when processes end) and `timeoutMs`. Runs are
 * counted twice: by their records and by the workers' `process finished` log lines.
 */

const SYNC_TIMEOUT_MS = 3000;
/** Sleeps `query.sleep` ms (default 300), then answers a random number: two runs never answer alike. */
const SLOW_RANDOM = "await sleep(Number(query.sleep ?? 300)); return { n: Math.random(), delivery: headers['x-delivery'] ?? null };";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ ingresses: 2, workers: 2, env: { SYNC_TIMEOUT_MS: String(SYNC_TIMEOUT_MS) } });
}, 30_000);
afterAll(async () => {
  await stack?.stop();
});

interface Answer {
  status: number;
  text: string;
  replayed: string | null;
  processId: string | null;
  retryAfter: string | null;
  ms: number;
}

/** Sends to endpoint `urlId` on ingress `ingress` (alternating by index when sending many). */
async function send(urlId: string, { ingress = 0, query = '', headers = {}, body }: { ingress?: number; query?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(`${stack.ingresses[ingress % stack.ingresses.length]}/api/webrequest/${urlId}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    replayed: response.headers.get('idempotent-replayed'),
    processId: response.headers.get('x-process-id'),
    retryAfter: response.headers.get('retry-after'),
    ms: Date.now() - started,
  };
}

/** The sum over every ingress of the counter `name` with `labels`. */
async function counted(name: string, labels: Record<string, string>): Promise<number> {
  const values = await Promise.all(stack.metrics.map(async (url) => valueOf(await scrape(url), name, labels)));
  return values.reduce((a, b) => a + b, 0);
}

/** Waits until the workers logged `count` finished processes of `urlId`, then a moment more for any extra one. */
async function finishedRuns(urlId: string, count: number): Promise<number> {
  await eventually(() => (finishedLines(stack, urlId).length >= count ? true : undefined), 5000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return finishedLines(stack, urlId).length;
}

describe('de-duplication', () => {
  let header: { id: string };
  beforeAll(async () => {
    header = await stack.endpoint('dedup/header', SLOW_RANDOM, { dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
  });

  it('runs 20 simultaneous identical deliveries across two ingresses once, answering all 20 alike', async () => {
    const duplicatesBefore = await counted('webrequests_duplicate_deliveries_total', { url_id: 'dedup/header' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send('dedup/header', { ingress: i, headers: { 'X-Delivery': 'delivery-1' } })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(JSON.parse(answers[0]!.text)).toMatchObject({ n: expect.any(Number), delivery: 'delivery-1' });
    const replayed = answers.filter((a) => a.replayed === 'true');
    expect(replayed).toHaveLength(19);
    const records = await processesOf(stack, header.id);
    expect(records).toHaveLength(1);
    expect(new Set(replayed.map((a) => a.processId))).toEqual(new Set([records[0]!.id]));
    expect(await finishedRuns('dedup/header', 1)).toBe(1);
    expect((await counted('webrequests_duplicate_deliveries_total', { url_id: 'dedup/header' })) - duplicatesBefore).toBe(19);
  });

  it('answers an async duplicate 200 at once with the first’s process id, and a sync one with its answer once it has one', async () => {
    const headers = { 'X-Delivery': 'delivery-async' };
    const first = await send('dedup/header', { query: '?async=true&sleep=1500', headers });
    expect(first).toMatchObject({ status: 200, text: '', replayed: null, processId: expect.any(String) });
    const again = await send('dedup/header', { ingress: 1, query: '?async=true&sleep=1500', headers });
    expect(again).toMatchObject({ status: 200, text: '', replayed: 'true', processId: first.processId });
    // At once: the first is still running.
    expect(['queued', 'running']).toContain((await stack.admin<{ status: string }>('GET', `/processes/${first.processId}`)).status);
    const waited = await send('dedup/header', { headers });
    expect(waited).toMatchObject({ status: 200, replayed: 'true', processId: first.processId });
    const record = await stack.waitForProcess(first.processId!);
    expect(JSON.parse(waited.text)).toEqual(record.output);
  });

  it('gives a sync duplicate the answer of a first delivery that ends shortly before the duplicate’s own deadline', async () => {
    // The first is async (its deadline a day away); the duplicate waits under the endpoint's 1 s.
    await stack.endpoint('dedup/late', SLOW_RANDOM, { timeoutMs: 1000, dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
    const headers = { 'X-Delivery': 'delivery-late' };
    const first = await send('dedup/late', { query: '?async=true&sleep=820', headers });
    const waited = await send('dedup/late', { headers });
    expect(waited).toMatchObject({ status: 200, replayed: 'true', processId: first.processId });
    expect(waited.ms).toBeLessThan(1200);
  });

  it('runs different keys separately, and a request without the key is not de-duplicated', async () => {
    const before = (await processesOf(stack, header.id)).length;
    const [a, b] = await Promise.all([send('dedup/header', { headers: { 'X-Delivery': 'delivery-a' } }), send('dedup/header', { ingress: 1, headers: { 'X-Delivery': 'delivery-b' } })]);
    const [c, d] = await Promise.all([send('dedup/header'), send('dedup/header', { ingress: 1 })]);
    for (const answer of [a, b, c, d]) expect(answer).toMatchObject({ status: 200, replayed: null });
    expect(new Set([a, b, c, d].map((x) => x.text)).size).toBe(4);
    expect((await processesOf(stack, header.id)).length - before).toBe(4);
  });

  it('runs a key again once its window has passed', async () => {
    const window = await stack.endpoint('dedup/window', SLOW_RANDOM, { dedup: { key: 'header:X-Delivery', windowSeconds: 1 } });
    const headers = { 'X-Delivery': 'delivery-w' };
    const first = await send('dedup/window', { query: '?sleep=0', headers });
    const inside = await send('dedup/window', { ingress: 1, query: '?sleep=0', headers });
    expect(inside).toMatchObject({ status: 200, replayed: 'true', text: first.text });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await send('dedup/window', { query: '?sleep=0', headers });
    expect(after).toMatchObject({ status: 200, replayed: null });
    expect(after.text).not.toBe(first.text);
    expect(await processesOf(stack, window.id)).toHaveLength(2);
    expect(await finishedRuns('dedup/window', 2)).toBe(2);
  });

  it.each([
    ['body:event.id', { body: { event: { id: 'evt-1' } } }, { body: { event: { id: 'evt-1' }, other: 'field' } }, { body: { event: { id: 'evt-2' } } }],
    ['query:id', { query: '?id=q-1' }, { query: '?id=q-1&x=2' }, { query: '?id=q-2' }],
  ])('reads the key from %s', async (key, original, duplicate, another) => {
    const urlId = `dedup/${key.split(':')[0]}`;
    const endpoint = await stack.endpoint(urlId, SLOW_RANDOM, { dedup: { key, windowSeconds: 60 } });
    const first = await send(urlId, original);
    const again = await send(urlId, { ingress: 1, ...duplicate });
    const other = await send(urlId, another);
    expect(first).toMatchObject({ status: 200, replayed: null });
    expect(again).toMatchObject({ status: 200, replayed: 'true', text: first.text });
    expect(other).toMatchObject({ status: 200, replayed: null });
    expect(other.text).not.toBe(first.text);
    expect(await processesOf(stack, endpoint.id)).toHaveLength(2);
  });

  it('answers a duplicate with the first’s status, headers and bytes', async () => {
    const source = "return { $status: 201, $headers: { 'X-Order': 'o-' + body.n, 'Content-Type': 'image/png' }, $body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, body.n]) };";
    await stack.endpoint('dedup/shaped', source, { dedup: { key: 'body:n', windowSeconds: 60 } });
    const answers: Array<{ status: number; order: string | null; type: string | null; bytes: string; replayed: string | null }> = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${stack.ingresses[i]}/api/webrequest/dedup/shaped`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":7}' });
      const bytes = Buffer.from(await response.arrayBuffer()).toString('hex');
      answers.push({ status: response.status, order: response.headers.get('x-order'), type: response.headers.get('content-type'), bytes, replayed: response.headers.get('idempotent-replayed') });
    }
    const shaped = { status: 201, order: 'o-7', type: 'image/png', bytes: '89504e47ff0007' };
    expect(answers).toEqual([{ ...shaped, replayed: null }, { ...shaped, replayed: 'true' }]);
  });

  it('answers a duplicate sent while a delivery runs with its error, and runs a retry sent after it failed anew', async () => {
    const failing = await stack.endpoint('dedup/failing', "await sleep(200); throw new Error('no such order');", { dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
    const headers = { 'X-Delivery': 'delivery-f' };
    const [first, during] = await Promise.all([send('dedup/failing', { headers }), new Promise((r) => setTimeout(r, 50)).then(() => send('dedup/failing', { ingress: 1, headers }))]);
    const [record] = await processesOf(stack, failing.id);
    for (const answer of [first, during]) {
      expect(answer.status).toBe(500);
      expect(errorCodeOf(JSON.parse(answer.text))).toBe('scenario_failed');
      expect(JSON.parse(answer.text).error.processId).toBe(record!.id);
      expect(JSON.parse(answer.text).error.message).toContain('no such order');
    }
    expect([first.replayed, during.replayed]).toEqual([null, 'true']);
    // The sender retries because the first attempt failed: the retry is a run of its own, and the
    // one after it (while the key names the second, failed too) runs again as well.
    const retry = await send('dedup/failing', { headers });
    expect(retry.status).toBe(500);
    expect(retry.replayed).toBeNull();
    const runs = await processesOf(stack, failing.id);
    expect(runs).toHaveLength(2);
    expect(JSON.parse(retry.text).error.processId).toBe(runs.find((r) => r.id !== record!.id)!.id);
  });

  it('answers a duplicate as the first once that first completed, even after an earlier attempt failed', async () => {
    const flaky = await stack.endpoint('dedup/flaky', "if (query.fail === 'yes') throw new Error('down'); return { ok: true };", { dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
    const headers = { 'X-Delivery': 'delivery-flaky' };
    expect((await send('dedup/flaky', { headers, query: '?fail=yes' })).status).toBe(500);
    const second = await send('dedup/flaky', { headers });
    expect([second.status, second.replayed]).toEqual([200, null]);
    const third = await send('dedup/flaky', { headers, ingress: 1, query: '?fail=yes' });
    expect([third.status, third.replayed, third.text]).toEqual([200, 'true', second.text]);
    expect(await processesOf(stack, flaky.id)).toHaveLength(2);
  });
});

describe('maxConcurrent', () => {
  it('admits 2 of 5 simultaneous requests over two ingresses, refuses 3 with 429 too_busy and Retry-After, and admits again once they end', async () => {
    const two = await stack.endpoint('limits/two', 'await sleep(1000); return { ok: true };', { maxConcurrent: 2 });
    const refusedBefore = await counted('webrequests_refused_requests_total', { url_id: 'limits/two', reason: 'max_concurrent' });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => send('limits/two', { ingress: i })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(errorCodeOf(JSON.parse(refused.text))).toBe('too_busy');
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refused.processId).toBeNull();
      expect(JSON.parse(refused.text).error.processId).toBeUndefined();
      expect(refused.ms).toBeLessThan(900); // Refused at once, not after waiting for a slot.
    }
    expect(await processesOf(stack, two.id)).toHaveLength(2);
    expect((await counted('webrequests_refused_requests_total', { url_id: 'limits/two', reason: 'max_concurrent' })) - refusedBefore).toBe(3);
    // Both slots are free again: two more at once are admitted.
    const again = await Promise.all([send('limits/two'), send('limits/two', { ingress: 1 })]);
    expect(again.map((a) => a.status)).toEqual([200, 200]);
    expect(await processesOf(stack, two.id)).toHaveLength(4);
    expect(await finishedRuns('limits/two', 4)).toBe(4);
  });

  it('counts async processes until they end', async () => {
    const one = await stack.endpoint('limits/async', 'await sleep(800); return {};', { maxConcurrent: 1 });
    const first = await send('limits/async', { query: '?async=true' });
    const second = await send('limits/async', { ingress: 1, query: '?async=true' });
    expect([first.status, second.status]).toEqual([200, 429]);
    await stack.waitForProcess(first.processId!);
    expect((await send('limits/async', { query: '?async=true' })).status).toBe(200);
    expect(await processesOf(stack, one.id)).toHaveLength(2);
  });

  it('frees the slot before the caller hears the answer: back-to-back requests on a limit of 1 are all admitted', async () => {
    await stack.endpoint('limits/serial', 'return { ok: true };', { maxConcurrent: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await send('limits/serial', { ingress: i })).status);
    expect(statuses).toEqual(Array(20).fill(200));
  });

  // Withdrawn from the queue, its job is ended by no worker: the withdraw frees the slot, or the endpoint
  // would answer 429 until the lease ran out (ASYNC_TIMEOUT_MS + 60 s).
  it('frees the slot of a queued process an operator deletes (its job is withdrawn, so no worker ever ends it)', async () => {
    // Every worker slot (2 workers x WORKER_CONCURRENCY 4) busy, so the limited endpoint's job stays queued.
    await stack.endpoint('limits/blocker', 'await sleep(1500); return {};');
    const blockers = await Promise.all(Array.from({ length: 8 }, (_, i) => send('limits/blocker', { ingress: i, query: '?async=true' })));
    const limited = await stack.endpoint('limits/withdrawn', 'return {};', { maxConcurrent: 1 });
    const queued = await send('limits/withdrawn', { query: '?async=true' });
    expect(queued.status).toBe(200);
    expect((await stack.admin<{ status: string }>('GET', `/processes/${queued.processId}`)).status).toBe('queued');
    await stack.admin('DELETE', `/processes/${queued.processId}`);
    const next = await send('limits/withdrawn', { ingress: 1, query: '?async=true' });
    // The blockers end before anything is asserted, so that a failure here leaves no worker busy.
    await Promise.all(blockers.map((b) => stack.waitForProcess(b.processId!)));
    expect(next.status).toBe(200);
    await stack.waitForProcess(next.processId!);
    expect(await processesOf(stack, limited.id)).toHaveLength(1);
  });

  it('gives a refused delivery’s key back, so that the sender’s retry runs', async () => {
    const both = await stack.endpoint('limits/dedup', SLOW_RANDOM, { maxConcurrent: 1, dedup: { key: 'header:X-Delivery', windowSeconds: 60 } });
    const busy = await send('limits/dedup', { query: '?async=true&sleep=800', headers: { 'X-Delivery': 'occupier' } });
    const refused = await send('limits/dedup', { ingress: 1, headers: { 'X-Delivery': 'retried' } });
    expect([busy.status, refused.status]).toEqual([200, 429]);
    await stack.waitForProcess(busy.processId!);
    const retry = await send('limits/dedup', { headers: { 'X-Delivery': 'retried' }, query: '?sleep=0' });
    expect(retry).toMatchObject({ status: 200, replayed: null });
    expect(JSON.parse(retry.text)).toMatchObject({ delivery: 'retried' });
    expect(await processesOf(stack, both.id)).toHaveLength(2);
  });
});

describe('timeoutMs', () => {
  it(`answers 504 at the endpoint's 500 ms, long before SYNC_TIMEOUT_MS (${SYNC_TIMEOUT_MS} ms), and ends the process aborted`, async () => {
    const slow = await stack.endpoint('limits/timeout', 'await sleep(2000); return { late: true };', { timeoutMs: 500 });
    const answer = await send('limits/timeout');
    expect(answer.status).toBe(504);
    expect(errorCodeOf(JSON.parse(answer.text))).toBe('timeout');
    expect(answer.ms).toBeGreaterThanOrEqual(450);
    expect(answer.ms).toBeLessThan(SYNC_TIMEOUT_MS / 2);
    const [record] = await processesOf(stack, slow.id);
    expect(await stack.waitForProcess(String(record!.id))).toMatchObject({ status: 'aborted', error: { code: 'timeout' } });
  });

  it('is capped by SYNC_TIMEOUT_MS: a longer timeoutMs still answers 504 at the service’s deadline', async () => {
    await stack.endpoint('limits/long-timeout', 'await sleep(10000); return { late: true };', { timeoutMs: 60_000 });
    const answer = await send('limits/long-timeout');
    expect(answer.status).toBe(504);
    expect(answer.ms).toBeGreaterThanOrEqual(SYNC_TIMEOUT_MS - 50);
    expect(answer.ms).toBeLessThan(SYNC_TIMEOUT_MS + 1500);
  });
});
