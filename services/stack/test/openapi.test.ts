import { adminRouter, openApiPath, type AdminDeps } from '@webrequests/ingress';
import type { Store } from '@webrequests/store';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * The admin API's OpenAPI 3.1 document (`GET /api/admin/openapi.json`), served by a real ingress and
 * checked against the admin router itself: every route the router has is documented, nothing else is,
 * and what the document says a request needs is what the API enforces.
 */

type Json = Record<string, any>;

let stack: TestStack;
let doc: Json;

beforeAll(async () => {
  stack = await startTestStack({ workers: 1 });
  const response = await fetch(`${stack.ingresses[0]}/api/admin/openapi.json`, { headers: { authorization: `Bearer ${stack.token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await response.json()) as Json;
});
afterAll(async () => {
  await stack?.stop();
});

/** The routes of the admin router as Express holds them: `GET /scenarios/:id`, … (middleware skipped). */
function routerRoutes(): Array<{ method: string; path: string }> {
  // The handlers never run here: building the router only registers them.
  const router = adminRouter({
    store: {} as Store,
    checkSyntax: () => null,
    abortProcess: async () => undefined,
    withdrawProcess: async () => false,
    runs: {} as AdminDeps['runs'],
    secretKeeping: { box: null, announceChange: async () => undefined },
  });
  // Express keeps `methods` on a route without declaring it in its types.
  const layers = router.stack as unknown as Array<{ route?: { path: string; methods: Record<string, boolean> } }>;
  return layers.flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((method) => ({ method, path: layer.route!.path })) : [],
  );
}

function resolveRef(ref: string): Json {
  expect(ref).toMatch(/^#\/components\/schemas\/\w+$/);
  const schema = doc.components.schemas[ref.split('/').at(-1)!];
  expect(schema).toBeDefined();
  return schema as Json;
}

/** Every `$ref` anywhere under `value`. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
  }
  return [];
}

it('is an OpenAPI 3.1 document in JSON Schema 2020-12, and only for those holding the admin token', async () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, basic: { type: 'http', scheme: 'basic' } });
  expect((await fetch(`${stack.ingresses[0]}/api/admin/openapi.json`)).status).toBe(401);
});

it('documents every route of the admin router, with the same method and path, and no route the router lacks', () => {
  const routes = routerRoutes();
  expect(routes.length).toBeGreaterThanOrEqual(14);
  const documented = Object.entries(doc.paths as Json).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
  const served = routes.map(({ method, path }) => `${method.toUpperCase()} ${openApiPath(path)}`);
  expect(new Set(served).size).toBe(served.length);
  expect(documented.sort()).toEqual(served.sort());
  // Spot checks of the conversion, so an empty or garbled pair of lists cannot agree by accident.
  expect(served).toEqual(expect.arrayContaining(['GET /processes', 'DELETE /processes/{id}', 'PATCH /webrequests/{id}', 'GET /openapi.json']));
});

it('gives every operation an id, its path parameters, a success answer, the 401, and references that resolve', () => {
  const ids = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(operations as Json)) {
      const where = `${method} ${path}`;
      expect({ where, id: typeof op.operationId }).toEqual({ where, id: 'string' });
      ids.add(op.operationId);
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name)).toEqual(pathParams);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
      expect(statuses).toContain('401');
      for (const ref of refsIn(op)) resolveRef(ref);
    }
  }
  for (const ref of refsIn(doc.components.schemas)) resolveRef(ref);
  expect(ids.size).toBe(routerRoutes().length);
});

it('documents the process filters with the values the API accepts', async () => {
  const params = doc.paths['/processes'].get.parameters as Json[];
  const byName = Object.fromEntries(params.map((p) => [p.name, p]));
  expect(Object.keys(byName).sort()).toEqual(['async', 'cursor', 'from', 'limit', 'scriptId', 'status', 'test', 'to', 'webrequestId']);
  expect(byName.status!.schema.enum).toEqual(['queued', 'running', 'completed', 'failed', 'aborted']);
  expect(byName.from!.schema.format).toBe('date-time');
  expect(byName.limit!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
  // What the document allows, the API takes; what it does not, the API refuses naming the parameter.
  for (const status of byName.status!.schema.enum as string[]) expect((await admin('GET', `/processes?status=${status}`)).status).toBe(200);
  expect(await admin('GET', '/processes?limit=501')).toMatchObject({ status: 400, body: { error: { field: 'limit' } } });
  expect(await admin('GET', '/processes?from=yesterday')).toMatchObject({ status: 400, body: { error: { field: 'from' } } });
});

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${stack.ingresses[0]}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

/** Every protection field of an endpoint (SPEC §10), with values a request without credentials still passes. */
const PROTECTION = {
  secrets: ['openapi-secret'],
  auth: { type: 'none' },
  allowIps: ['127.0.0.0/8', '::1'],
  dedup: { key: 'header:x-openapi-delivery', windowSeconds: 60 },
  timeoutMs: 5000,
  maxConcurrent: 4,
};

it('requires exactly the body fields the document marks required, and refuses the properties it does not list', async () => {
  const scenario = (await admin('POST', '/scenarios', { name: 'openapi-scenario', source: 'return {};' })).body;
  const valid: Record<string, Json> = {
    '/scenarios': { name: 'openapi-required', description: 'd', source: 'return { ok: true };' },
    '/webrequests': { name: 'openapi-required', urlId: 'openapi/required', scriptId: scenario.id, status: 'active', corsOrigins: ['*'], description: 'd', ...PROTECTION },
  };
  for (const [path, body] of Object.entries(valid)) {
    const schema = resolveRef(doc.paths[path].post.requestBody.content['application/json'].schema.$ref);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(body).sort());
    expect(schema.additionalProperties).toBe(false);
    for (const field of schema.required as string[]) {
      const { [field]: _omitted, ...missing } = body;
      expect(await admin('POST', path, missing)).toMatchObject({ status: 400, body: { error: { field } } });
    }
    const extra = await admin('POST', path, { ...body, surprise: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('surprise');
  }
});

it('describes the objects the API answers with exactly the fields real ones have', async () => {
  const endpoint = await stack.endpoint('openapi/fields', "console.log('x'); return { ok: true };", { corsOrigins: ['https://a.example'], ...PROTECTION });
  await admin('PUT', '/secrets/openapi-secret', { value: 'openapi-secret-value' });
  const run = await fetch(endpoint.url);
  expect(run.status).toBe(200);
  const [record] = (await admin('GET', `/processes?webrequestId=${endpoint.id}`)).body.items as Json[];
  const real: Record<string, Json> = {
    Scenario: (await admin('GET', `/scenarios/${endpoint.scriptId}`)).body,
    Webrequest: (await admin('GET', `/webrequests/${endpoint.id}`)).body,
    Process: (await admin('GET', `/processes/${record!.id}`)).body,
    Secret: ((await admin('GET', '/secrets')).body.items as Json[])[0]!,
    TestAnswer: (await admin('POST', `/webrequests/${endpoint.id}/test`, {})).body,
  };
  for (const [name, object] of Object.entries(real)) {
    const schema = doc.components.schemas[name] as Json;
    expect({ name, fields: Object.keys(object).sort() }).toEqual({ name, fields: Object.keys(schema.properties).sort() });
    for (const field of schema.required as string[]) expect(object).toHaveProperty(field);
  }
  const notFound = await admin('GET', '/processes/nope');
  expect(Object.keys(notFound.body)).toEqual(Object.keys(doc.components.schemas.Error.properties));
});
