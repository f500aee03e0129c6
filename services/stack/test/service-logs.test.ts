import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../test-support/harness';

/** The services' own log files, as an operator reads them (LOG_LEVEL=info). */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

function logLines(service: string): Array<Record<string, unknown>> {
  return readFileSync(join(stack.dir, 'logs', `${service}.log`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function eventually<T>(read: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined || Date.now() > until) return value as T;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("logs a failed process's error code and message, with its scenario line and column, on the worker's line for it", async () => {
  const { url } = await stack.endpoint('logs/failing', "throw new TypeError('the order has no id');");
  const answer = await fetch(url, { method: 'POST' });
  expect(answer.status).toBe(500);
  const processId = answer.headers.get('x-process-id') ?? ((await answer.json()) as { error: { processId: string } }).error.processId;
  const line = await eventually(() => logLines('worker-1').find((entry) => entry.processId === processId && entry.message === 'process finished'));
  expect(line).toMatchObject({ level: 'info', status: 'failed', errorCode: 'scenario_failed', error: 'TypeError: the order has no id (line 1, column 7)' });
});

it('keeps health checks out of the ingress log at info', async () => {
  for (const path of ['/healthz', '/readyz']) expect((await fetch(`${stack.ingresses[0]}${path}`)).status).toBe(200);
  const marker = await fetch(`${stack.ingresses[0]}/api/webrequest/logs/no-such-endpoint`);
  expect(marker.status).toBe(404);
  const requests = await eventually(() => {
    const lines = logLines('ingress-0').filter((entry) => entry.message === 'request');
    return lines.some((entry) => entry.path === '/api/webrequest/logs/no-such-endpoint') ? lines : undefined;
  });
  expect(requests.map((entry) => entry.path)).not.toEqual(expect.arrayContaining(['/healthz']));
  expect(requests.filter((entry) => ['/healthz', '/readyz'].includes(String(entry.path)))).toEqual([]);
});
