import type { Store } from '@webrequests/store';
import type { ProcessRuns } from '../process-runs';
import { defineOperation, type AdminOperation } from './admin-operation';
import { found } from './catalog-operations';
import { processSchema, testAnswerSchema } from './resource-schemas';
import { testRunSchema } from './schemas';

/** Replays and test runs (SPEC §5): processes an operator starts. */
export function runOperations(store: Store, runs: ProcessRuns): AdminOperation[] {
  return [
    defineOperation({
      method: 'post', path: '/processes/:id/replay', operationId: 'replayProcess', summary: 'Run a past process again, asynchronously, with the same input', tag: 'processes',
      description:
        'Starts a new process with the variables the original was recorded with (replayOf names it), on the scenario it ran, with the endpoint’s current secrets. ' +
        'The endpoint’s protection (auth, dedup, maxConcurrent) is not applied: the operator is authenticated already. 409 when the input was over PROCESS_RESULT_LIMIT and was not recorded whole.',
      success: { status: 201, description: 'The new process record (queued)', schema: processSchema }, errors: [404, 409],
      handle: async ({ id }) => runs.replay(found(await store.getProcess(id), 'process')),
    }),
    defineOperation({
      method: 'post', path: '/webrequests/:id/test', operationId: 'testWebrequest', summary: 'Run the endpoint’s scenario (or a draft) on a described request', tag: 'webrequests',
      description:
        'Goes through the same queue and sandbox as a real request and answers with what its caller would get (status, headers, body) and the process record (test: true; ' +
        'listed only with test=true). The endpoint’s auth, dedup and maxConcurrent are not applied; its secrets and timeoutMs are.',
      body: testRunSchema,
      success: { status: 200, description: 'What the caller would get, and the record', schema: testAnswerSchema }, errors: [404],
      handle: async ({ id, body, res }) => runs.test(found(await store.getWebRequest(id), 'webrequest'), body, res),
    }),
  ];
}
