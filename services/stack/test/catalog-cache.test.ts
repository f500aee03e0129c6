import { openStore, type Store } from '@webrequests/store';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * The ingresses keep endpoints in memory and the workers keep scenarios (a store read per request and
 * per job saved). A change must still reach the next request: at once on the ingress that made it,
 * within moments on the others (a control message), and within the 5 s safety net when no message was
 * sent at all (a write straight into the store). A job never runs a source older than the one it was
 * accepted with.
 */
describe('endpoints and scenarios kept in memory', () => {
  let stack: TestStack;
  let store: Store;

  beforeAll(async () => {
    stack = await startTestStack({ ingresses: 2, workers: 1 });
    store = await openStore(String(stack.env.STORE_URL));
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await stack?.stop();
  });

  const call = async (base: string, urlId: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${base}/api/webrequest/${urlId}`);
    return { status: response.status, text: await response.text() };
  };

  /** Calls `urlId` on `base` until `done` holds; answers how long that took (ms), or throws past `limitMs`. */
  async function timeUntil(base: string, urlId: string, done: (answer: { status: number; text: string }) => boolean, limitMs: number): Promise<number> {
    const start = Date.now();
    for (;;) {
      const answer = await call(base, urlId);
      if (done(answer)) return Date.now() - start;
      if (Date.now() - start > limitMs) throw new Error(`still ${answer.status} ${answer.text} after ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('runs a scenario changed through the admin API on the very next request to the same ingress', async () => {
    const endpoint = await stack.endpoint('same-ingress', 'return { v: 1 };');
    const [here] = stack.ingresses;
    for (let i = 0; i < 3; i++) expect(await call(here!, 'same-ingress')).toEqual({ status: 200, text: '{"v":1}' });
    await stack.admin('PATCH', `/scenarios/${endpoint.scriptId}`, { source: 'return { v: 2 };' });
    expect(await call(here!, 'same-ingress')).toEqual({ status: 200, text: '{"v":2}' });
    await stack.admin('PATCH', `/webrequests/${endpoint.id}`, { status: 'disabled' });
    expect((await call(here!, 'same-ingress')).status).toBe(404);
  });

  it('serves a change made on one ingress from the other within moments, not after its cache expires', async () => {
    const endpoint = await stack.endpoint('other-ingress', 'return { v: 1 };');
    const [, other] = stack.ingresses;
    // Kept in the other ingress's memory, and the scenario in the worker's.
    for (let i = 0; i < 3; i++) expect(await call(other!, 'other-ingress')).toEqual({ status: 200, text: '{"v":1}' });
    await stack.admin('PATCH', `/scenarios/${endpoint.scriptId}`, { source: 'return { v: 2 };' });
    expect(await timeUntil(other!, 'other-ingress', (a) => a.text === '{"v":2}', 5000)).toBeLessThan(1000);
    await stack.admin('PATCH', `/webrequests/${endpoint.id}`, { status: 'disabled' });
    expect(await timeUntil(other!, 'other-ingress', (a) => a.status === 404, 5000)).toBeLessThan(1000);
  });

  it('sees a change written straight into the store, with no message, within the 5 s safety net, and the worker runs the new source', async () => {
    const endpoint = await stack.endpoint('unannounced', 'return { v: 1 };');
    const [here] = stack.ingresses;
    for (let i = 0; i < 3; i++) expect(await call(here!, 'unannounced')).toEqual({ status: 200, text: '{"v":1}' });
    // No admin API, no control message: the ingress learns of it when its entry expires; the worker,
    // whose kept scenario is older than the version the jobs then carry, must read the store again.
    await store.updateScenario(endpoint.scriptId, { source: 'return { v: 2 };' });
    const waited = await timeUntil(here!, 'unannounced', (a) => a.text === '{"v":2}', 8000);
    expect(waited).toBeLessThan(7000);
    // And it stays changed: no job runs the old source again.
    for (let i = 0; i < 5; i++) expect(await call(here!, 'unannounced')).toEqual({ status: 200, text: '{"v":2}' });
  }, 20_000);

  it('answers 404 for an endpoint deleted through the admin API, on both ingresses', async () => {
    const endpoint = await stack.endpoint('deleted', 'return { here: true };');
    for (const base of stack.ingresses) expect((await call(base, 'deleted')).status).toBe(200);
    await stack.admin('DELETE', `/webrequests/${endpoint.id}`);
    expect((await call(stack.ingresses[0]!, 'deleted')).status).toBe(404);
    expect(await timeUntil(stack.ingresses[1]!, 'deleted', (a) => a.status === 404, 5000)).toBeLessThan(1000);
  });
});
