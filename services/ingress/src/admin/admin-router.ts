import { Router, json, type Request } from 'express';
import { NotFoundError, ValidationError } from '@webrequests/contracts';
import type { Store } from '@webrequests/store';
import {
  pageQuerySchema,
  processQuerySchema,
  scenarioCreateSchema,
  scenarioUpdateSchema,
  webrequestCreateSchema,
  webrequestUpdateSchema,
} from './schemas';
import { validate } from './validate';

/** What the admin API needs besides the store. */
export interface AdminDeps {
  store: Store;
  /** Compiles scenario source without running it: an error message, or null. */
  checkSyntax: (source: string) => string | null;
  /** Stops a process wherever it runs (a worker kills its thread). */
  abortProcess: (processId: string, reason: string) => Promise<void>;
}

function found<T>(value: T | null, what: string): T {
  if (value === null) throw new NotFoundError(`no such ${what}`);
  return value;
}

function checkSource(checkSyntax: AdminDeps['checkSyntax'], source: string | undefined): void {
  if (source === undefined) return;
  const problem = checkSyntax(source);
  if (problem) throw new ValidationError(`source: ${problem}`, 'source');
}

function idOf(req: Request): string {
  return String(req.params.id);
}

/**
 * JSON CRUD for scenarios and endpoints, and read/list/delete for processes (SPEC §5). Mount behind
 * {@link adminAuth}. Creates answer 201 with the object, lists `{ items, nextCursor }`.
 */
export function adminRouter({ store, checkSyntax, abortProcess }: AdminDeps): Router {
  const router = Router();
  router.use(json({ limit: '1mb' }));

  router.get('/scenarios', async (req, res) => {
    res.json(await store.listScenarios(validate(pageQuerySchema, req.query)));
  });
  router.post('/scenarios', async (req, res) => {
    const input = validate(scenarioCreateSchema, req.body);
    checkSource(checkSyntax, input.source);
    res.status(201).json(await store.createScenario(input));
  });
  router.get('/scenarios/:id', async (req, res) => {
    res.json(found(await store.getScenario(idOf(req)), 'scenario'));
  });
  router.patch('/scenarios/:id', async (req, res) => {
    const patch = validate(scenarioUpdateSchema, req.body);
    checkSource(checkSyntax, patch.source);
    res.json(found(await store.updateScenario(idOf(req), patch), 'scenario'));
  });
  router.delete('/scenarios/:id', async (req, res) => {
    found((await store.deleteScenario(idOf(req))) || null, 'scenario');
    res.status(204).end();
  });

  router.get('/webrequests', async (req, res) => {
    res.json(await store.listWebRequests(validate(pageQuerySchema, req.query)));
  });
  router.post('/webrequests', async (req, res) => {
    res.status(201).json(await store.createWebRequest(validate(webrequestCreateSchema, req.body)));
  });
  router.get('/webrequests/:id', async (req, res) => {
    res.json(found(await store.getWebRequest(idOf(req)), 'webrequest'));
  });
  router.patch('/webrequests/:id', async (req, res) => {
    const patch = validate(webrequestUpdateSchema, req.body);
    res.json(found(await store.updateWebRequest(idOf(req), patch), 'webrequest'));
  });
  router.delete('/webrequests/:id', async (req, res) => {
    found((await store.deleteWebRequest(idOf(req))) || null, 'webrequest');
    res.status(204).end();
  });

  router.get('/processes', async (req, res) => {
    const { from, to, ...filter } = validate(processQuerySchema, req.query);
    res.json(await store.listProcesses({ ...filter, createdFrom: from, createdTo: to }));
  });
  router.get('/processes/:id', async (req, res) => {
    res.json(found(await store.getProcess(idOf(req)), 'process'));
  });
  router.delete('/processes/:id', async (req, res) => {
    const process = found(await store.getProcess(idOf(req)), 'process');
    if (process.status === 'running' || process.status === 'queued') {
      await abortProcess(process.id, 'deleted by an operator');
    }
    await store.deleteProcess(process.id);
    res.status(204).end();
  });

  router.use((_req, _res, next) => next(new NotFoundError('no such admin route')));
  return router;
}
