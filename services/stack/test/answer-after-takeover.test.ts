import { openStore, type Store } from '@webrequests/store';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * A worker that dies after writing a process's final record but before publishing its answer leaves a
 * job that another worker takes over and skips (running it again would repeat its side effects). The
 * sync caller still waits: it must hear the recorded answer then, not a 504 at its deadline.
 *
 * The dead worker is played by the test: with no worker running, the job waits in the queue while the
 * test writes the final record into the store, as the victim did; then a worker starts and takes the job.
 */
describe('a sync caller whose process ended on a worker that died before answering', () => {
  let stack: TestStack;
  let store: Store;

  beforeAll(async () => {
    stack = await startTestStack({ workers: 0, env: { SYNC_TIMEOUT_MS: '20000', PROCESS_RESULT_LIMIT: '4096' } });
    store = await openStore(String(stack.env.STORE_URL));
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await stack?.stop();
  });

  /** Sends a sync request, writes the final record `finish` for it while no worker runs, then starts a worker. */
  async function answeredAfterTakeover(urlId: string, finish: { status: 'completed' | 'failed'; output: unknown; error: { code: string; message: string } | null }) {
    const endpoint = await stack.endpoint(urlId, 'return { ran: "again" };');
    const sentAt = Date.now();
    const answer = fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    let processId: string | undefined;
    while (!processId) {
      const page = await stack.admin<{ items: { id: string }[] }>('GET', `/processes?webrequestId=${endpoint.id}`);
      processId = page.items[0]?.id;
      if (!processId) await new Promise((r) => setTimeout(r, 50));
    }
    const start = { startedAt: new Date().toISOString(), worker: 'worker-that-died', attempts: 1 };
    expect(await store.finishProcess(processId, { ...finish, logs: [], finishedAt: new Date().toISOString(), durationMs: 5, start } as never)).toBe(true);
    const worker = await stack.addWorker();
    const response = await answer;
    // The next case needs its job to wait again.
    await worker.stop();
    return { response, body: await response.text(), processId, waitedMs: Date.now() - sentAt };
  }

  it('hears the output the record holds, bytes and status included, and the scenario does not run again', async () => {
    const { response, body, processId, waitedMs } = await answeredAfterTakeover('recorded-output', {
      status: 'completed',
      output: { $status: 201, $headers: { 'x-from': 'record' }, $body: { type: 'Buffer', base64: Buffer.from('recorded bytes').toString('base64') } },
      error: null,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-from')).toBe('record');
    expect(body).toBe('recorded bytes');
    // Well before the 20 s deadline: the answer came with the takeover.
    expect(waitedMs).toBeLessThan(15_000);
    const record = await stack.admin<{ status: string; worker: string; output: unknown }>('GET', `/processes/${processId}`);
    expect(record).toMatchObject({ status: 'completed', worker: 'worker-that-died' });
  }, 40_000);

  it('hears the recorded error with its status', async () => {
    const { response, body } = await answeredAfterTakeover('recorded-error', {
      status: 'failed',
      output: null,
      error: { code: 'scenario_failed', message: 'it threw before the worker died' },
    });
    expect(response.status).toBe(500);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'scenario_failed', message: 'it threw before the worker died' } });
  }, 40_000);

  it('hears 503 worker_lost when the record kept only a preview of a large output', async () => {
    const { response, body } = await answeredAfterTakeover('recorded-truncated', {
      status: 'completed',
      output: { truncated: true, bytes: 90_000, preview: '{"big":"' },
      error: null,
    });
    expect(response.status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'worker_lost' } });
  }, 40_000);
});
