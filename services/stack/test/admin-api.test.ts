import { startTestStack, type TestStack } from '../test-support/harness';
import { sameLengthWrongTokens } from '../test-support/wrong-tokens';

/**
 * End to end: the admin API (SPEC §5) of a real ingress: authentication, scenario and endpoint CRUD with
 * validation and conflicts, and the processes catalog filled by real runs on a real worker.
 */

interface ApiError {
  error: { code: string; message: string; field?: string };
}
interface Scenario {
  id: string;
  name: string;
  description?: string;
  source: string;
  createdAt: string;
  updatedAt: string;
}
interface WebRequest {
  id: string;
  name: string;
  description?: string;
  urlId: string;
  scriptId: string;
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface ProcessRecord {
  id: string;
  webrequestId: string;
  scriptId: string;
  async: boolean;
  status: string;
  input: Record<string, unknown>;
  output: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  logs: Array<{ level: string; message: string; at: number }>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let stack: TestStack;
let counter = 0;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
});

afterAll(async () => {
  await stack?.stop();
});

/** A unique name/urlId for one test's records. */
function unique(prefix: string): string {
  return `${prefix}-${++counter}`;
}

/** Calls the admin API with the stack's token and answers status and parsed body, whatever the status. */
async function call<T = unknown>(method: string, path: string, body?: unknown, token: string | null = stack.token): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${stack.ingresses[0]}/api/admin${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function createScenario(source = 'return { ok: true };', extra: Record<string, unknown> = {}): Promise<Scenario> {
  const { status, body } = await call<Scenario>('POST', '/scenarios', { name: unique('scenario'), source, ...extra });
  expect(status).toBe(201);
  return body;
}

async function createEndpoint(scriptId: string, extra: Record<string, unknown> = {}): Promise<WebRequest> {
  const urlId = unique('admin-ep');
  const { status, body } = await call<WebRequest>('POST', '/webrequests', { name: urlId, urlId, scriptId, ...extra });
  expect(status).toBe(201);
  return body;
}

function publicUrl(urlId: string): string {
  return `${stack.ingresses[0]}/api/webrequest/${urlId}`;
}

/** Walks every page of a listing with `limit`, checking each page's size. */
async function listAll<T extends { id: string }>(path: string, limit: number): Promise<{ ids: string[]; pages: Page<T>[] }> {
  const pages: Page<T>[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const { status, body }: { status: number; body: Page<T> } = await call<Page<T>>('GET', `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(status).toBe(200);
    expect(body.items.length).toBeLessThanOrEqual(limit);
    pages.push(body);
    cursor = body.nextCursor;
    if (pages.length > 100) throw new Error('paging does not end');
  } while (cursor !== null);
  return { ids: pages.flatMap((p) => p.items.map((i) => i.id)), pages };
}

describe('authentication', () => {
  it('answers 401 unauthorized without a token', async () => {
    const { status, body } = await call<ApiError>('GET', '/scenarios', undefined, null);
    expect(status).toBe(401);
    expect(body.error.code).toBe('unauthorized');
  });

  it('answers 401 with a wrong token, and to a write as well as a read', async () => {
    const read = await call<ApiError>('GET', '/scenarios', undefined, `${stack.token}x`);
    expect(read.status).toBe(401);
    expect(read.body.error.code).toBe('unauthorized');
    const write = await call<ApiError>('POST', '/scenarios', { name: 'nope', source: 'return {};' }, 'wrong-token-wrong-token');
    expect(write.status).toBe(401);
    const list = await call<Page<Scenario>>('GET', '/scenarios?limit=500');
    expect(list.body.items.some((s) => s.name === 'nope')).toBe(false);
  });

  it('answers 401 to a wrong token of exactly the token\'s length (Bearer and Basic), so a length-only check fails', async () => {
    const wrong = sameLengthWrongTokens(stack.token);
    expect(wrong.length).toBeGreaterThanOrEqual(5);
    const answers: Array<{ token: string; as: string; status: number; code?: string }> = [];
    for (const token of wrong) {
      const read = await call<Partial<ApiError>>('GET', '/scenarios', undefined, token);
      answers.push({ token, as: 'Bearer read', status: read.status, code: read.body?.error?.code });
      const write = await call<Partial<ApiError>>('POST', '/scenarios', { name: 'same-length-nope', source: 'return {};' }, token);
      answers.push({ token, as: 'Bearer write', status: write.status, code: write.body?.error?.code });
      const basic = await fetch(`${stack.ingresses[0]}/api/admin/scenarios`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` },
      });
      answers.push({ token, as: 'Basic read', status: basic.status, code: ((await basic.json()) as Partial<ApiError>).error?.code });
    }
    expect(answers).toEqual(answers.map(({ token, as }) => ({ token, as, status: 401, code: 'unauthorized' })));
    const list = await call<Page<Scenario>>('GET', '/scenarios?limit=500');
    expect(list.status).toBe(200);
    expect(list.body.items.some((s) => s.name === 'same-length-nope')).toBe(false);
  });

  it('accepts HTTP Basic with the token as password', async () => {
    const response = await fetch(`${stack.ingresses[0]}/api/admin/scenarios`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${stack.token}`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
  });

  it('answers 404 for the admin API when ADMIN_TOKEN is unset', async () => {
    const open = await startTestStack({ workers: 0, env: { ADMIN_TOKEN: '' } });
    try {
      for (const authorization of [undefined, `Bearer ${stack.token}`, 'Bearer ']) {
        const response = await fetch(`${open.ingresses[0]}/api/admin/scenarios`, { headers: authorization ? { authorization } : {} });
        expect(response.status).toBe(404);
        expect(((await response.json()) as ApiError).error.code).toBe('not_found');
      }
      const created = await fetch(`${open.ingresses[0]}/api/admin/scenarios`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', source: 'return {};' }),
      });
      expect(created.status).toBe(404);
      expect((await fetch(`${open.ingresses[0]}/healthz`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});

describe('scenarios', () => {
  it('creates (201 with id), reads, updates and deletes a scenario', async () => {
    const name = unique('crud');
    const created = await call<Scenario>('POST', '/scenarios', { name, description: 'Grüße', source: 'return { v: 1 };' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, description: 'Grüße', source: 'return { v: 1 };' });
    expect(created.body.id).toEqual(expect.any(String));
    expect(created.body.createdAt).toMatch(ISO);
    expect(created.body.updatedAt).toBe(created.body.createdAt);
    const { id } = created.body;

    const read = await call<Scenario>('GET', `/scenarios/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    await new Promise((r) => setTimeout(r, 5));
    const patched = await call<Scenario>('PATCH', `/scenarios/${id}`, { name: `${name}-renamed` });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, name: `${name}-renamed`, description: 'Grüße', source: 'return { v: 1 };', createdAt: created.body.createdAt });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThan(Date.parse(created.body.updatedAt));
    expect((await call<Scenario>('GET', `/scenarios/${id}`)).body).toEqual(patched.body);

    const patchedSource = await call<Scenario>('PATCH', `/scenarios/${id}`, { source: 'return { v: 2 };', description: 'new' });
    expect(patchedSource.body).toMatchObject({ name: `${name}-renamed`, source: 'return { v: 2 };', description: 'new' });

    const deleted = await fetch(`${stack.ingresses[0]}/api/admin/scenarios/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.token}` } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const gone = await call<ApiError>('GET', `/scenarios/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect((await call('DELETE', `/scenarios/${id}`)).status).toBe(404);
    expect((await call('PATCH', `/scenarios/${id}`, { name: 'x' })).status).toBe(404);
  });

  it('lists scenarios as {items, nextCursor} and pages through all of them with limit and cursor', async () => {
    const made = [await createScenario(), await createScenario(), await createScenario()];
    const first = await call<Page<Scenario>>('GET', '/scenarios?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe('string');

    const { ids, pages } = await listAll<Scenario>('/scenarios', 2);
    expect(new Set(ids).size).toBe(ids.length);
    for (const scenario of made) expect(ids).toContain(scenario.id);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const everything = await call<Page<Scenario>>('GET', '/scenarios?limit=500');
    expect(everything.body.nextCursor).toBeNull();
    expect(new Set(everything.body.items.map((s) => s.id))).toEqual(new Set(ids));
    const listed = everything.body.items.find((s) => s.id === made[0]!.id);
    expect(listed).toEqual(made[0]);
  });

  it('answers 400 naming field "source" for a syntax error, on create and on update', async () => {
    const create = await call<ApiError>('POST', '/scenarios', { name: unique('bad'), source: 'return { a: ;' });
    expect(create.status).toBe(400);
    expect(create.body.error.code).toBe('invalid_request');
    expect(create.body.error.field).toBe('source');
    expect(create.body.error.message).toMatch(/^source: /);

    const scenario = await createScenario('return { fine: true };');
    const update = await call<ApiError>('PATCH', `/scenarios/${scenario.id}`, { source: 'if (' });
    expect(update.status).toBe(400);
    expect(update.body.error.field).toBe('source');
    expect((await call<Scenario>('GET', `/scenarios/${scenario.id}`)).body.source).toBe('return { fine: true };');
  });

  it.each([
    ['a missing name', { source: 'return {};' }, 'name'],
    ['a blank name', { name: '   ', source: 'return {};' }, 'name'],
    ['a missing source', { name: 'no-source' }, 'source'],
    ['a source that is not a string', { name: 'numeric', source: 42 }, 'source'],
    ['an unknown property', { name: 'extra', source: 'return {};', colour: 'red' }, 'colour'],
  ])('answers 400 naming the field for %s', async (_what, input, field) => {
    const { status, body } = await call<ApiError>('POST', '/scenarios', input);
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.field).toBe(field);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('answers 400 naming the field for a bad page query %s', async (query, field) => {
    const { status, body } = await call<ApiError>('GET', `/scenarios?${query}`);
    expect(status).toBe(400);
    expect(body.error.field).toBe(field);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, body } = await call<ApiError>('POST', '/scenarios', '{"name": ');
    expect(status).toBe(400);
    expect(body.error.code).toMatch(/invalid/);
  });
});

describe('webrequests (endpoints)', () => {
  it('creates (201, active by default), reads, lists, updates and deletes an endpoint', async () => {
    const scenario = await createScenario();
    const urlId = unique('crud-ep');
    const created = await call<WebRequest>('POST', '/webrequests', { name: 'Orders', description: 'from the shop', urlId, scriptId: scenario.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Orders', description: 'from the shop', urlId, scriptId: scenario.id, status: 'active' });
    expect(created.body.id).toEqual(expect.any(String));
    expect(created.body.createdAt).toMatch(ISO);
    const { id } = created.body;

    expect((await call<WebRequest>('GET', `/webrequests/${id}`)).body).toEqual(created.body);
    const { ids } = await listAll<WebRequest>('/webrequests', 1);
    expect(ids).toContain(id);

    const other = await createScenario('return { other: true };');
    const patched = await call<WebRequest>('PATCH', `/webrequests/${id}`, { name: 'Orders v2', scriptId: other.id });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, name: 'Orders v2', urlId, scriptId: other.id, status: 'active', createdAt: created.body.createdAt });
    const answer = await fetch(publicUrl(urlId));
    expect(await answer.json()).toEqual({ other: true });

    expect((await call('DELETE', `/webrequests/${id}`)).status).toBe(204);
    expect((await call<ApiError>('GET', `/webrequests/${id}`)).status).toBe(404);
    expect((await fetch(publicUrl(urlId))).status).toBe(404);
  });

  it('answers 409 for a duplicate urlId, on create and on update', async () => {
    const scenario = await createScenario();
    const first = await createEndpoint(scenario.id);
    const duplicate = await call<ApiError>('POST', '/webrequests', { name: 'dup', urlId: first.urlId, scriptId: scenario.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');

    const second = await createEndpoint(scenario.id);
    const update = await call<ApiError>('PATCH', `/webrequests/${second.id}`, { urlId: first.urlId });
    expect(update.status).toBe(409);
    expect(update.body.error.code).toBe('conflict');
    expect((await call<WebRequest>('GET', `/webrequests/${second.id}`)).body.urlId).toBe(second.urlId);
    // Keeping its own urlId is no conflict.
    expect((await call('PATCH', `/webrequests/${second.id}`, { urlId: second.urlId, name: 'same' })).status).toBe(200);
  });

  it.each([
    ['a urlId with a space', 'bad url'],
    ['a urlId with a dot', 'a.b'],
    ['an empty segment', 'a//b'],
    ['a leading slash', '/a'],
    ['a urlId over 200 characters', 'x'.repeat(201)],
  ])('answers 400 naming field urlId for %s', async (_what, urlId) => {
    const scenario = await createScenario();
    const { status, body } = await call<ApiError>('POST', '/webrequests', { name: 'bad', urlId, scriptId: scenario.id });
    expect(status).toBe(400);
    expect(body.error.field).toBe('urlId');
  });

  it('accepts a 200-character multi-segment urlId', async () => {
    const scenario = await createScenario('return { long: true };');
    const urlId = `seg-a/seg_b/${'z'.repeat(200 - 'seg-a/seg_b/'.length)}`;
    expect(urlId).toHaveLength(200);
    const { status } = await call('POST', '/webrequests', { name: 'long', urlId, scriptId: scenario.id });
    expect(status).toBe(201);
    expect(await (await fetch(publicUrl(urlId))).json()).toEqual({ long: true });
  });

  it('answers 400 naming field scriptId for an unknown scenario, on create and on update', async () => {
    const create = await call<ApiError>('POST', '/webrequests', { name: 'x', urlId: unique('unknown-script'), scriptId: 'no-such-scenario' });
    expect(create.status).toBe(400);
    expect(create.body.error.field).toBe('scriptId');

    const endpoint = await createEndpoint((await createScenario()).id);
    const update = await call<ApiError>('PATCH', `/webrequests/${endpoint.id}`, { scriptId: 'no-such-scenario' });
    expect(update.status).toBe(400);
    expect(update.body.error.field).toBe('scriptId');
  });

  it('answers 400 naming the field for a bad status and an unknown property', async () => {
    const scenario = await createScenario();
    const badStatus = await call<ApiError>('POST', '/webrequests', { name: 'x', urlId: unique('st'), scriptId: scenario.id, status: 'paused' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.field).toBe('status');
    const unknown = await call<ApiError>('POST', '/webrequests', { name: 'x', urlId: unique('st'), scriptId: scenario.id, secret: 's' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('secret');
    const missingName = await call<ApiError>('POST', '/webrequests', { urlId: unique('st'), scriptId: scenario.id });
    expect(missingName.status).toBe(400);
    expect(missingName.body.error.field).toBe('name');
  });

  it('answers 409 when deleting a scenario an endpoint uses, and deletes it once the endpoint is gone', async () => {
    const scenario = await createScenario();
    const endpoint = await createEndpoint(scenario.id);
    const refused = await call<ApiError>('DELETE', `/scenarios/${scenario.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect((await call('GET', `/scenarios/${scenario.id}`)).status).toBe(200);

    expect((await call('DELETE', `/webrequests/${endpoint.id}`)).status).toBe(204);
    expect((await call('DELETE', `/scenarios/${scenario.id}`)).status).toBe(204);
  });

  it('answers 404 on the public URL while the endpoint is disabled, and works again when re-enabled', async () => {
    const scenario = await createScenario("return { hello: 'world' };");
    const endpoint = await createEndpoint(scenario.id, { status: 'disabled' });
    expect(endpoint.status).toBe('disabled');
    const whileDisabled = await fetch(publicUrl(endpoint.urlId));
    expect(whileDisabled.status).toBe(404);
    expect(((await whileDisabled.json()) as ApiError).error.code).toBe('not_found');

    expect((await call<WebRequest>('PATCH', `/webrequests/${endpoint.id}`, { status: 'active' })).body.status).toBe('active');
    const enabled = await fetch(publicUrl(endpoint.urlId));
    expect(enabled.status).toBe(200);
    expect(await enabled.json()).toEqual({ hello: 'world' });

    expect((await call<WebRequest>('PATCH', `/webrequests/${endpoint.id}`, { status: 'disabled' })).body.status).toBe('disabled');
    const disabledAgain = await fetch(`${publicUrl(endpoint.urlId)}?async=true`, { method: 'POST' });
    expect(disabledAgain.status).toBe(404);
    expect(disabledAgain.headers.get('x-process-id')).toBeNull();
  });

  it('runs an updated scenario source on the very next request', async () => {
    const scenario = await createScenario("return { version: 1 };");
    const endpoint = await createEndpoint(scenario.id);
    expect(await (await fetch(publicUrl(endpoint.urlId))).json()).toEqual({ version: 1 });
    await call('PATCH', `/scenarios/${scenario.id}`, { source: 'return { version: 2 };' });
    expect(await (await fetch(publicUrl(endpoint.urlId))).json()).toEqual({ version: 2 });
    await call('PATCH', `/scenarios/${scenario.id}`, { source: 'return { version: 3 };' });
    expect(await (await fetch(publicUrl(endpoint.urlId))).json()).toEqual({ version: 3 });
  });
});

describe('processes', () => {
  const source = `
    console.log('hello', query.n, { nested: true });
    if (query.fail) throw new Error('boom ' + query.n);
    console.warn('careful');
    return { n: query.n, doubled: Number(query.n) * 2 };`;
  let endpoint: WebRequest;
  let otherEndpoint: WebRequest;

  beforeAll(async () => {
    const scenario = await createScenario(source);
    endpoint = await createEndpoint(scenario.id);
    otherEndpoint = await createEndpoint(scenario.id);
    const answers = await Promise.all([
      fetch(`${publicUrl(endpoint.urlId)}?n=1`),
      fetch(`${publicUrl(endpoint.urlId)}?n=2`),
      fetch(`${publicUrl(endpoint.urlId)}?n=3&fail=1`),
      fetch(`${publicUrl(otherEndpoint.urlId)}?n=4`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 500, 200]);
    await Promise.all(answers.map((a) => a.arrayBuffer()));
  });

  async function list(query: string): Promise<ProcessRecord[]> {
    const { status, body } = await call<Page<ProcessRecord>>('GET', `/processes?${query}`);
    expect(status).toBe(200);
    return body.items;
  }

  it('lists processes filtered by webrequestId and status (completed vs failed)', async () => {
    const completed = await list(`webrequestId=${endpoint.id}&status=completed`);
    expect(completed.map((p) => (p.output as { n: string }).n).sort()).toEqual(['1', '2']);
    for (const p of completed) expect(p).toMatchObject({ webrequestId: endpoint.id, status: 'completed', error: null });

    const failed = await list(`webrequestId=${endpoint.id}&status=failed`);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ webrequestId: endpoint.id, status: 'failed', output: null });
    expect(failed[0]!.error).toMatchObject({ code: 'scenario_failed', message: expect.stringContaining('boom 3') });

    expect(await list(`webrequestId=${endpoint.id}`)).toHaveLength(3);
    const other = await list(`webrequestId=${otherEndpoint.id}`);
    expect(other).toHaveLength(1);
    expect((other[0]!.output as { n: string }).n).toBe('4');
    expect(await list(`webrequestId=${otherEndpoint.id}&status=failed`)).toEqual([]);
  });

  it('pages through a filtered process list with limit and cursor', async () => {
    const { ids, pages } = await listAll<ProcessRecord>(`/processes?webrequestId=${endpoint.id}`, 2);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
  });

  it('lists processes filtered by scriptId, async and a time range', async () => {
    const byScript = await list(`scriptId=${endpoint.scriptId}`);
    expect(byScript).toHaveLength(4);
    expect(new Set(byScript.map((p) => p.webrequestId))).toEqual(new Set([endpoint.id, otherEndpoint.id]));
    expect(await list(`scriptId=${endpoint.scriptId}&async=true`)).toEqual([]);
    expect(await list(`scriptId=${endpoint.scriptId}&async=false`)).toHaveLength(4);
    const since = new Date(Date.parse(byScript.at(-1)!.createdAt) - 1000).toISOString();
    expect(await list(`webrequestId=${endpoint.id}&from=${since}`)).toHaveLength(3);
    expect(await list(`webrequestId=${endpoint.id}&to=2000-01-01T00:00:00Z`)).toEqual([]);
  });

  it('answers 400 naming field status for an unknown status filter', async () => {
    const { status, body } = await call<ApiError>('GET', '/processes?status=finished');
    expect(status).toBe(400);
    expect(body.error.field).toBe('status');
  });

  it('answers 200 with an empty page for a well-formed webrequestId or scriptId that names nothing', async () => {
    const unknown = [
      '0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5d', // a UUID v7, as the store makes them
      '6f1c2b7e-3d4a-4e5f-9a8b-7c6d5e4f3a2b', // a UUID v4
      endpoint.id.replace(/.{12}$/, '000000000000'), // shaped like a real id, next to it
    ];
    for (const id of unknown) {
      for (const field of ['webrequestId', 'scriptId']) {
        const { status, body } = await call<Page<ProcessRecord>>('GET', `/processes?${field}=${id}`);
        expect({ field, id, status, body }).toEqual({ field, id, status: 200, body: { items: [], nextCursor: null } });
      }
    }
    // With the other filters too: still an empty page, not an error.
    const combined = await call<Page<ProcessRecord>>('GET', `/processes?webrequestId=${unknown[0]}&scriptId=${endpoint.scriptId}&status=failed&limit=1`);
    expect(combined).toEqual({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('matches the id filters whatever the case of the UUID', async () => {
    expect(await list(`webrequestId=${endpoint.id.toUpperCase()}`)).toHaveLength(3);
    expect(await list(`scriptId=${endpoint.scriptId.toUpperCase()}`)).toHaveLength(4);
  });

  it('keeps listing the processes of a deleted endpoint and scenario by their ids', async () => {
    const scenario = await createScenario('return { outlived: true };');
    const own = await createEndpoint(scenario.id);
    const answer = await fetch(publicUrl(own.urlId));
    expect(await answer.json()).toEqual({ outlived: true });
    expect((await call('DELETE', `/webrequests/${own.id}`)).status).toBe(204);
    expect((await call('DELETE', `/scenarios/${scenario.id}`)).status).toBe(204);
    expect((await call('GET', `/webrequests/${own.id}`)).status).toBe(404);

    const byEndpoint = await list(`webrequestId=${own.id}`);
    expect(byEndpoint).toHaveLength(1);
    expect(byEndpoint[0]).toMatchObject({ webrequestId: own.id, scriptId: scenario.id, status: 'completed', output: { outlived: true } });
    expect((await list(`scriptId=${scenario.id}`)).map((p) => p.id)).toEqual([byEndpoint[0]!.id]);
  });

  it.each([
    ['a name instead of an id', 'no-such-endpoint'],
    ['a urlId', 'admin-ep-1'],
    ['a UUID missing a character', '0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5'],
    ['a UUID with a non-hex character', '0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5g'],
    ['a UUID without its dashes', '0198c2f45a3e7b219c4d2f6e8a1b3c5d'],
    ['a UUID in braces', '{0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5d}'],
    ['an empty value', ''],
    ['101 characters', 'x'.repeat(101)],
  ])('answers 400 naming the field for a malformed webrequestId or scriptId: %s', async (_what, value) => {
    for (const field of ['webrequestId', 'scriptId']) {
      const { status, body } = await call<ApiError>('GET', `/processes?${field}=${encodeURIComponent(value)}`);
      expect({ field, status, code: body.error.code, errorField: body.error.field }).toEqual({ field, status: 400, code: 'invalid_request', errorField: field });
      expect(body.error.message).toContain(field);
    }
  });

  it('answers 400 naming the field for a repeated or nested id filter', async () => {
    const repeated = await call<ApiError>('GET', `/processes?webrequestId=${endpoint.id}&webrequestId=${otherEndpoint.id}`);
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.field).toBe('webrequestId');
    const nested = await call<ApiError>('GET', `/processes?scriptId[$ne]=${endpoint.scriptId}`);
    expect(nested.status).toBe(400);
    expect(nested.body.error.field).toBe('scriptId');
  });

  it('reads one process with its input variables, output, console logs and timings', async () => {
    const [summary] = (await list(`webrequestId=${endpoint.id}&status=completed`)).filter((p) => (p.output as { n: string }).n === '2');
    const { status, body: record } = await call<ProcessRecord>('GET', `/processes/${summary!.id}`);
    expect(status).toBe(200);
    expect(record).toMatchObject({ id: summary!.id, webrequestId: endpoint.id, scriptId: endpoint.scriptId, async: false, status: 'completed', error: null });
    expect(record.output).toEqual({ n: '2', doubled: 4 });
    expect(record.input).toMatchObject({
      event: { id: endpoint.id, type: '$webRequest', async: false },
      script: { id: endpoint.scriptId },
      user: { id: null },
      method: 'GET',
      url: `${publicUrl(endpoint.urlId)}?n=2`,
      query: { n: '2' },
      body: {},
      files: [],
      rawBody: '',
    });
    expect(record.logs.map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 'log', message: 'hello 2 { nested: true }' },
      { level: 'warn', message: 'careful' },
    ]);
    for (const entry of record.logs) expect(typeof entry.at).toBe('number');
    expect(record.createdAt).toMatch(ISO);
    expect(record.startedAt).toMatch(ISO);
    expect(record.finishedAt).toMatch(ISO);
    const started = Date.parse(record.startedAt!);
    const finished = Date.parse(record.finishedAt!);
    expect(started).toBeGreaterThanOrEqual(Date.parse(record.createdAt));
    expect(finished).toBeGreaterThanOrEqual(started);
    expect(record.durationMs).toBe(finished - started);
  });

  it('reads a failed process with its error and the logs written before the throw', async () => {
    const [failed] = await list(`webrequestId=${endpoint.id}&status=failed`);
    const { body: record } = await call<ProcessRecord>('GET', `/processes/${failed!.id}`);
    expect(record.status).toBe('failed');
    expect(record.error!.message).toContain('boom 3');
    expect(record.output).toBeNull();
    expect(record.input).toMatchObject({ query: { n: '3', fail: '1' } });
    expect(record.logs.map(({ level, message }) => ({ level, message }))).toEqual([{ level: 'log', message: 'hello 3 { nested: true }' }]);
    expect(record.finishedAt).toMatch(ISO);
  });

  it('deletes a process: 204, then 404 and gone from the list', async () => {
    const scenario = await createScenario('return { bye: true };');
    const own = await createEndpoint(scenario.id);
    const accepted = await fetch(`${publicUrl(own.urlId)}?async=1`, { method: 'POST' });
    const processId = accepted.headers.get('x-process-id')!;
    expect((await stack.waitForProcess(processId)).status).toBe('completed');

    const deleted = await call('DELETE', `/processes/${processId}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const gone = await call<ApiError>('GET', `/processes/${processId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    expect(await list(`webrequestId=${own.id}`)).toEqual([]);
    expect((await call('DELETE', `/processes/${processId}`)).status).toBe(404);
  });
});
