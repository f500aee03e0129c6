import { createHash, createHmac, randomUUID } from 'node:crypto';
import { corpusPayloads } from '../test-support/corpus';
import { startTestStack, type TestStack } from '../test-support/harness';

const GITHUB_SECRET = 'corpus-secret-7f3a';
const FINAL = ['completed', 'failed', 'aborted'];

/** Echoes the caller's token from the query, a header and the body, after a short pause so runs overlap. */
const ECHO_SOURCE = `
await sleep(Number(query.pause ?? 0));
console.log('token', query.t);
return { query: query.t ?? null, header: headers['x-token'] ?? null, body: body.token ?? null, async: event.async };
`;

/** Verifies GitHub's signature over the exact bytes received, as a real webhook receiver does. */
const GITHUB_SOURCE = `
const expected = 'sha256=' + crypto.createHmac('sha256', ${JSON.stringify(GITHUB_SECRET)}).update(rawBody).digest('hex');
const given = String(headers['x-hub-signature-256'] ?? '');
const verified = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
if (!verified) return { $status: 401, $body: { error: 'bad signature' } };
return {
  event: headers['x-github-event'],
  delivery: headers['x-github-delivery'],
  digest: crypto.createHash('sha256').update(rawBody).digest('hex'),
  keys: Object.keys(body).sort(),
};
`;

const FORM_SOURCE = `return { token: body.token, name: body.name, files: files.map((f) => f.filename + ':' + f.size) };`;
const THROW_SOURCE = `throw new Error('failed for ' + query.t);`;

/** What one request of the mix expects back; `check` throws (a jest expectation) on a wrong answer. */
interface Planned {
  label: string;
  send: () => Promise<Response>;
  check: (response: Response, text: string) => void;
  /** Set for async requests: the record must end in a final status, and this checks it. */
  record?: (record: Record<string, unknown>) => void;
}

/** The records of one endpoint, all pages. */
async function allProcesses(stack: TestStack, webrequestId: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const query: string = `/processes?webrequestId=${webrequestId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: Array<Record<string, unknown>>; nextCursor: string | null } = await stack.admin('GET', query);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('two ingresses and two workers on one Redis and one store', () => {
  let stack: TestStack;
  let echo: { url: string; id: string };
  let github: { url: string; id: string };
  let form: { url: string; id: string };
  let thrower: { url: string; id: string };

  beforeAll(async () => {
    stack = await startTestStack({ ingresses: 2, workers: 2, env: { WORKER_CONCURRENCY: '4' } });
    echo = await stack.endpoint('load-echo', ECHO_SOURCE);
    github = await stack.endpoint('load-github', GITHUB_SOURCE);
    form = await stack.endpoint('load-form', FORM_SOURCE);
    thrower = await stack.endpoint('load-throw', THROW_SOURCE);
  }, 30_000);
  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /** Every service process is still running, and both ingresses say they are alive and ready. */
  async function expectAllAlive(): Promise<void> {
    for (const service of stack.services) {
      expect({ name: service.name, exitCode: service.child.exitCode, signal: service.child.signalCode }).toEqual({
        name: service.name,
        exitCode: null,
        signal: null,
      });
    }
    for (const base of stack.ingresses) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    }
  }

  it('routes each of 100 concurrent sync answers back to its own caller, through either ingress, and both workers work', async () => {
    const tokens = Array.from({ length: 100 }, () => randomUUID());
    const answers = await Promise.all(
      tokens.map(async (token, i) => {
        const base = stack.ingresses[i % 2]!;
        const response = await fetch(`${base}/api/webrequest/load-echo?t=${token}&pause=100`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-token': token },
          body: JSON.stringify({ token }),
        });
        return { token, status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() };
      }),
    );
    for (const answer of answers) {
      expect(answer).toEqual({
        token: answer.token,
        status: 200,
        requestId: expect.any(String),
        body: { query: answer.token, header: answer.token, body: answer.token, async: false },
      });
    }
    expect(new Set(answers.map((a) => a.requestId)).size).toBe(100);

    const records = (await allProcesses(stack, echo.id)).filter((r) => (tokens as string[]).includes((r.output as { query?: string } | null)?.query ?? ''));
    expect(records).toHaveLength(100);
    for (const record of records) {
      const output = record.output as { query: string; body: string };
      expect(record.status).toBe('completed');
      // The record's input and output belong to the same request.
      expect((record.input as { body: { token: string } }).body.token).toBe(output.query);
      expect(output.body).toBe(output.query);
      expect(record.logs).toEqual([expect.objectContaining({ message: `token ${output.query}` })]);
    }
    const byWorker = new Set(records.map((r) => r.worker));
    expect([...byWorker].sort()).toEqual(['worker-1', 'worker-2']);
  }, 45_000);

  it('serves 200 concurrent mixed requests, each answered as its own, with no crash and every async record final', async () => {
    const payloads = corpusPayloads(); // the folder is the event GitHub names in X-GitHub-Event
    expect(payloads.length).toBeGreaterThanOrEqual(100);
    const plan: Planned[] = [];
    const base = (i: number): string => stack.ingresses[i % 2]!;

    for (let i = 0; i < 60; i++) {
      const payload = payloads[Math.floor((i * payloads.length) / 60)]!;
      const delivery = randomUUID();
      const signature = `sha256=${createHmac('sha256', GITHUB_SECRET).update(payload.bytes).digest('hex')}`;
      const digest = createHash('sha256').update(payload.bytes).digest('hex');
      const keys = Object.keys(JSON.parse(payload.bytes.toString('utf8')) as object).sort();
      const isAsync = i % 3 === 0;
      const expected = { event: payload.event, delivery, digest, keys };
      plan.push({
        label: `github ${payload.event}/${payload.file}${isAsync ? ' async' : ''}`,
        send: () =>
          fetch(`${base(i)}/api/webrequest/load-github${isAsync ? '?async=true' : ''}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'user-agent': 'GitHub-Hookshot/044aadd',
              'x-github-event': payload.event,
              'x-github-delivery': delivery,
              'x-hub-signature-256': signature,
            },
            body: payload.bytes,
          }),
        check: (response, text) => {
          expect(response.status).toBe(200);
          if (isAsync) expect(text).toBe('');
          else expect(JSON.parse(text)).toEqual(expected);
        },
        record: isAsync ? (record) => expect(record).toMatchObject({ status: 'completed', output: expected }) : undefined,
      });
    }
    for (let i = 0; i < 70; i++) {
      const token = randomUUID();
      const isAsync = i % 7 < 3;
      const expected = { query: token, header: token, body: token, async: isAsync };
      plan.push({
        label: `echo ${token}${isAsync ? ' async' : ''}`,
        send: () =>
          fetch(`${base(i + 1)}/api/webrequest/load-echo?t=${token}&pause=${i % 5 * 20}${isAsync ? '&async=true' : ''}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-token': token },
            body: JSON.stringify({ token }),
          }),
        check: (response, text) => {
          expect(response.status).toBe(200);
          if (isAsync) expect(text).toBe('');
          else expect(JSON.parse(text)).toEqual(expected);
        },
        record: isAsync ? (record) => expect(record).toMatchObject({ status: 'completed', output: expected }) : undefined,
      });
    }
    for (let i = 0; i < 30; i++) {
      const token = randomUUID();
      const name = `Zoë ${i}`;
      const multipart = i % 2 === 0;
      plan.push({
        label: `form ${multipart ? 'multipart' : 'urlencoded'} ${token}`,
        send: () => {
          if (!multipart) return fetch(`${base(i)}/api/webrequest/load-form`, { method: 'POST', body: new URLSearchParams({ token, name }) });
          const data = new FormData();
          data.append('token', token);
          data.append('name', name);
          data.append('attachment', new Blob([token]), `${token}.txt`);
          return fetch(`${base(i)}/api/webrequest/load-form`, { method: 'POST', body: data });
        },
        check: (response, text) => {
          expect(response.status).toBe(200);
          expect(JSON.parse(text)).toEqual({ token, name, files: multipart ? [`${token}.txt:${token.length}`] : [] });
        },
      });
    }
    for (let i = 0; i < 20; i++) {
      const token = randomUUID();
      plan.push({
        label: `throw ${token}`,
        send: () => fetch(`${base(i)}/api/webrequest/load-throw?t=${token}`, { method: 'POST' }),
        check: (response, text) => {
          expect(response.status).toBe(500);
          const { error } = JSON.parse(text) as { error: { code: string; message: string; processId?: string } };
          expect(error).toEqual({ code: 'scenario_failed', message: expect.stringContaining(`failed for ${token}`), processId: expect.any(String) });
        },
      });
    }
    for (let i = 0; i < 20; i++) {
      plan.push({
        label: `404 ${i}`,
        send: () => fetch(`${base(i)}/api/webrequest/load-missing-${i}`, { method: 'POST', body: 'x' }),
        check: (response, text) => {
          expect(response.status).toBe(404);
          expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found' } });
        },
      });
    }
    expect(plan).toHaveLength(200);

    const results = await Promise.all(
      plan.map(async (item) => {
        const response = await item.send();
        return { item, response, text: await response.text() };
      }),
    );
    const asyncIds: Array<{ item: Planned; processId: string }> = [];
    for (const { item, response, text } of results) {
      try {
        item.check(response, text);
      } catch (error) {
        throw new Error(`${item.label}: ${response.status} ${text.slice(0, 300)}\n${String(error)}`);
      }
      if (item.record) asyncIds.push({ item, processId: response.headers.get('x-process-id')! });
    }
    expect(asyncIds).toHaveLength(20 + 30);
    expect(asyncIds.every((a) => typeof a.processId === 'string' && a.processId.length > 0)).toBe(true);

    for (const { item, processId } of asyncIds) {
      const record = await stack.waitForProcess(processId, undefined, 30_000);
      expect(FINAL).toContain(record.status);
      try {
        item.record!(record);
      } catch (error) {
        throw new Error(`${item.label}: record ${JSON.stringify(record).slice(0, 300)}\n${String(error)}`);
      }
    }
    // The failures were recorded as such, one per throwing request.
    const thrown = await allProcesses(stack, thrower.id);
    expect(thrown).toHaveLength(20);
    expect(thrown.every((r) => r.status === 'failed')).toBe(true);
    expect((await allProcesses(stack, form.id)).every((r) => r.status === 'completed')).toBe(true);
    expect((await allProcesses(stack, github.id))).toHaveLength(60);

    await expectAllAlive();
  }, 55_000);
});
