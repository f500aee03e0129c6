import { NotFoundError, ValidationError, type WebRequest } from '@webrequests/contracts';
import { dedupProblem } from '@webrequests/protection';
import type { Store, WebRequestInput } from '@webrequests/store';
import { defineOperation, type AdminOperation } from './admin-operation';
import { pageSchema, scenarioSchema, webrequestSchema } from './resource-schemas';
import {
  pageQuerySchema,
  scenarioCreateSchema,
  scenarioUpdateSchema,
  webrequestCreateSchema,
  webrequestUpdateSchema,
} from './schemas';

/** Throws 404 naming `what` when `value` is null. */
export function found<T>(value: T | null, what: string): T {
  if (value === null) throw new NotFoundError(`no such ${what}`);
  return value;
}

function checkSource(checkSyntax: (source: string) => string | null, source: string | undefined): void {
  if (source === undefined) return;
  const problem = checkSyntax(source);
  if (problem) throw new ValidationError(`source: ${problem}`, 'source');
}

/** CRUD of scenarios (SPEC §5); a source with a syntax error is refused with 400 on field `source`. */
export function scenarioOperations(store: Store, checkSyntax: (source: string) => string | null): AdminOperation[] {
  return [
    defineOperation({
      method: 'get', path: '/scenarios', operationId: 'listScenarios', summary: 'List scenarios, newest first', tag: 'scenarios',
      query: pageQuerySchema,
      success: { status: 200, description: 'One page of scenarios', schema: pageSchema(scenarioSchema) },
      handle: ({ query }) => store.listScenarios(query),
    }),
    defineOperation({
      method: 'post', path: '/scenarios', operationId: 'createScenario', summary: 'Create a scenario', tag: 'scenarios',
      body: scenarioCreateSchema,
      success: { status: 201, description: 'The created scenario', schema: scenarioSchema },
      handle: async ({ body }) => {
        checkSource(checkSyntax, body.source);
        return store.createScenario(body);
      },
    }),
    defineOperation({
      method: 'get', path: '/scenarios/:id', operationId: 'getScenario', summary: 'Read a scenario', tag: 'scenarios',
      success: { status: 200, description: 'The scenario', schema: scenarioSchema }, errors: [404],
      handle: async ({ id }) => found(await store.getScenario(id), 'scenario'),
    }),
    defineOperation({
      method: 'patch', path: '/scenarios/:id', operationId: 'updateScenario', summary: 'Update a scenario (the next run uses it)', tag: 'scenarios',
      body: scenarioUpdateSchema,
      success: { status: 200, description: 'The updated scenario', schema: scenarioSchema }, errors: [404],
      handle: async ({ id, body }) => {
        checkSource(checkSyntax, body.source);
        return found(await store.updateScenario(id, body), 'scenario');
      },
    }),
    defineOperation({
      method: 'delete', path: '/scenarios/:id', operationId: 'deleteScenario', summary: 'Delete a scenario no endpoint uses', tag: 'scenarios',
      success: { status: 204, description: 'Deleted' }, errors: [404, 409],
      handle: async ({ id }) => found((await store.deleteScenario(id)) || null, 'scenario'),
    }),
  ];
}

/** An endpoint whose `dedup` has no key and whose auth preset gives none is refused: it would never de-duplicate. */
function checkDedup(endpoint: Pick<WebRequest, 'dedup' | 'auth'>): void {
  const problem = dedupProblem(endpoint);
  if (problem) throw new ValidationError(`dedup.key: ${problem}`, 'dedup.key');
}

/** What an endpoint becomes with `patch` applied (null removes a field), for the checks across fields. */
function patched(current: WebRequest, patch: Partial<WebRequestInput>): Pick<WebRequest, 'dedup' | 'auth'> {
  const pick = <K extends 'dedup' | 'auth'>(key: K): WebRequest[K] => (patch[key] === undefined ? current[key] : (patch[key] ?? undefined)) as WebRequest[K];
  return { dedup: pick('dedup'), auth: pick('auth') };
}

/** CRUD of endpoints (SPEC §5, §10); a duplicate `urlId` is 409, an unknown `scriptId` 400. */
export function webrequestOperations(store: Store): AdminOperation[] {
  return [
    defineOperation({
      method: 'get', path: '/webrequests', operationId: 'listWebrequests', summary: 'List endpoints, newest first', tag: 'webrequests',
      query: pageQuerySchema,
      success: { status: 200, description: 'One page of endpoints', schema: pageSchema(webrequestSchema) },
      handle: ({ query }) => store.listWebRequests(query),
    }),
    defineOperation({
      method: 'post', path: '/webrequests', operationId: 'createWebrequest', summary: 'Create an endpoint', tag: 'webrequests',
      body: webrequestCreateSchema,
      success: { status: 201, description: 'The created endpoint', schema: webrequestSchema }, errors: [409],
      handle: async ({ body }) => {
        checkDedup({ dedup: body.dedup, auth: body.auth });
        return store.createWebRequest(body);
      },
    }),
    defineOperation({
      method: 'get', path: '/webrequests/:id', operationId: 'getWebrequest', summary: 'Read an endpoint', tag: 'webrequests',
      success: { status: 200, description: 'The endpoint', schema: webrequestSchema }, errors: [404],
      handle: async ({ id }) => found(await store.getWebRequest(id), 'webrequest'),
    }),
    defineOperation({
      method: 'patch', path: '/webrequests/:id', operationId: 'updateWebrequest', summary: 'Update an endpoint', tag: 'webrequests',
      body: webrequestUpdateSchema,
      success: { status: 200, description: 'The updated endpoint', schema: webrequestSchema }, errors: [404, 409],
      handle: async ({ id, body }) => {
        if (body.dedup !== undefined || body.auth !== undefined) checkDedup(patched(found(await store.getWebRequest(id), 'webrequest'), body));
        return found(await store.updateWebRequest(id, body), 'webrequest');
      },
    }),
    defineOperation({
      method: 'delete', path: '/webrequests/:id', operationId: 'deleteWebrequest', summary: 'Delete an endpoint', tag: 'webrequests',
      success: { status: 204, description: 'Deleted' }, errors: [404],
      handle: async ({ id }) => found((await store.deleteWebRequest(id)) || null, 'webrequest'),
    }),
  ];
}
