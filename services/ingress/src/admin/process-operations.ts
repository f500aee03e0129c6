import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { FINAL_STATUSES, type ProcessRecord } from '@webrequests/contracts';
import type { Store } from '@webrequests/store';
import { defineOperation, type AdminOperation } from './admin-operation';
import { found } from './catalog-operations';
import { pageSchema, processSchema } from './resource-schemas';
import { processQuerySchema } from './schemas';

/** What deleting a running process needs besides the store. */
export interface ProcessStopper {
  /** Publishes an abort order; the worker running the process kills its thread and records it `aborted`. */
  abortProcess: (processId: string, reason: string) => Promise<void>;
  /** Takes a queued process's job out of the queue (no worker will ever run it); true when it did. */
  withdrawProcess: (processId: string) => Promise<boolean>;
  /** How long a delete waits for a running process to reach its final status (milliseconds). */
  stopWaitMs: number;
}

const POLL_MS = 25;

function isFinal(record: ProcessRecord | null): boolean {
  return record === null || FINAL_STATUSES.includes(record.status);
}

/**
 * Stops a process that is not final. A queued one's job is taken out of the queue, so no worker, even
 * one that starts later, ever runs it. Otherwise (a worker has its job) every worker is ordered to abort
 * it, and while it is running the delete waits (up to `stopWaitMs`) for the worker to record it aborted,
 * so that a delete's answer means the thread is dead. A worker that takes a job anyway finds its record
 * gone and skips it.
 */
async function stopProcess(store: Store, stopper: ProcessStopper, processId: string): Promise<void> {
  if (await stopper.withdrawProcess(processId)) return;
  await stopper.abortProcess(processId, 'deleted by an operator');
  const until = Date.now() + stopper.stopWaitMs;
  for (;;) {
    const record = await store.getProcess(processId);
    if (isFinal(record) || record!.status === 'queued' || Date.now() >= until) return;
    await sleep(POLL_MS);
  }
}

/**
 * A filter on the id of a catalog object. Ids are UUIDs (v7, made by the store's `newId`), so a value
 * that is not one is a mistake and answers `400` naming the field; a UUID that names nothing (say, an
 * endpoint deleted since: its processes outlive it) is an ordinary filter and answers an empty page.
 * Case does not matter: ids are stored in lower case.
 */
function idFilter(what: string) {
  return z
    .uuid({ error: `must be ${what} id: a UUID such as 0198c2f4-5a3e-7b21-9c4d-2f6e8a1b3c5d` })
    .transform((id) => id.toLowerCase())
    .optional()
    .meta({ description: `Only processes of this ${what.replace(/^an? /, '')} (its id, a UUID); one that names nothing gives an empty page.` });
}

/** The process list's query: the shared filters, with the id filters held to the ids' form. */
const processListQuerySchema = processQuerySchema.extend({
  webrequestId: idFilter('an endpoint'),
  scriptId: idFilter('a scenario'),
});

/** The processes catalog (SPEC §5): list with filters, read one, delete one (stopping it first). */
export function processOperations(store: Store, stopper: ProcessStopper): AdminOperation[] {
  return [
    defineOperation({
      method: 'get', path: '/processes', operationId: 'listProcesses', summary: 'List processes, newest first, with filters', tag: 'processes',
      query: processListQuerySchema,
      success: { status: 200, description: 'One page of process records', schema: pageSchema(processSchema) },
      handle: ({ query: { from, to, ...filter } }) => store.listProcesses({ ...filter, createdFrom: from, createdTo: to }),
    }),
    defineOperation({
      method: 'get', path: '/processes/:id', operationId: 'getProcess', summary: 'Read one process record', tag: 'processes',
      success: { status: 200, description: 'The record with input, output, error, logs, timings, attempts and worker', schema: processSchema },
      errors: [404],
      handle: async ({ id }) => found(await store.getProcess(id), 'process'),
    }),
    defineOperation({
      method: 'delete', path: '/processes/:id', operationId: 'deleteProcess', summary: 'Delete a process record, stopping it first if it runs', tag: 'processes',
      description:
        'A queued or running process is stopped first: its scenario thread is killed wherever it is, and a waiting sync caller gets an error. ' +
        `The answer comes once the worker has recorded the stop (or after ${stopper.stopWaitMs} ms); then the record is deleted.`,
      success: { status: 204, description: 'Stopped if it was running, and deleted' }, errors: [404],
      handle: async ({ id }) => {
        const record = found(await store.getProcess(id), 'process');
        if (!isFinal(record)) await stopProcess(store, stopper, record.id);
        await store.deleteProcess(record.id);
      },
    }),
  ];
}
