import { Router, json, type Request, type Response } from 'express';
import { MethodNotAllowedError, NotFoundError, ValidationError } from '@webrequests/contracts';
import type { Store } from '@webrequests/store';
import { Answer, defineOperation, type AdminOperation } from './admin-operation';
import { scenarioOperations, webrequestOperations } from './catalog-operations';
import { openApiDocument } from './openapi';
import { processOperations } from './process-operations';
import { runOperations } from './run-operations';
import { secretOperations, type SecretKeeping } from './secret-operations';
import type { ProcessRuns } from '../process-runs';
import { validate } from './validate';

/** What the admin API needs besides the store. */
export interface AdminDeps {
  store: Store;
  /** Compiles scenario source without running it: an error message, or null. */
  checkSyntax: (source: string) => string | null;
  /** Stops a process wherever it runs (a worker kills its thread). */
  abortProcess: (processId: string, reason: string) => Promise<void>;
  /** Takes a queued process's job out of the queue so that no worker ever runs it; true when it did. */
  withdrawProcess: (processId: string) => Promise<boolean>;
  /** How long deleting a running process waits for its stop to be recorded (milliseconds); default 5000. */
  stopWaitMs?: number;
  /** Replays and test runs. */
  runs: ProcessRuns;
  /** Sealing secret values and announcing their changes. */
  secretKeeping: SecretKeeping;
  /** The version the OpenAPI document states; default the ingress package's. */
  version?: string;
}

const PACKAGE_VERSION = (require('../../package.json') as { version: string }).version;

/** Every operation of the admin API, the OpenAPI document's own route included. */
export function adminOperations(deps: AdminDeps): AdminOperation[] {
  const operations: AdminOperation[] = [
    ...scenarioOperations(deps.store, deps.checkSyntax),
    ...webrequestOperations(deps.store),
    ...secretOperations(deps.store, deps.secretKeeping),
    ...processOperations(deps.store, { abortProcess: deps.abortProcess, withdrawProcess: deps.withdrawProcess, stopWaitMs: deps.stopWaitMs ?? 5000 }),
    ...runOperations(deps.store, deps.runs),
  ];
  let document: unknown;
  operations.push(
    defineOperation({
      method: 'get', path: '/openapi.json', operationId: 'getOpenApi', summary: 'This API as an OpenAPI 3.1 document', tag: 'meta',
      success: { status: 200, description: 'The OpenAPI document' },
      handle: async () => (document ??= openApiDocument(operations, deps.version ?? PACKAGE_VERSION)),
    }),
  );
  return operations;
}

function route(operation: AdminOperation) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = operation.query ? validate(operation.query, req.query) : undefined;
    // No body, or one not sent as JSON (express.json leaves req.body unset): not an empty change.
    if (operation.body && req.body === undefined) throw new ValidationError('this operation takes a JSON body (Content-Type: application/json)', '(body)');
    const body = operation.body ? validate(operation.body, req.body) : undefined;
    const result = await operation.handle({ id: String(req.params.id ?? req.params.name ?? ''), query, body, res });
    if (result instanceof Answer) res.status(result.status).json(result.body);
    else if (operation.success.status === 204) res.status(204).end();
    else res.status(operation.success.status).json(result);
  };
}

/**
 * JSON CRUD for scenarios and endpoints, list/read/delete for processes (SPEC §5) and the OpenAPI
 * document at `/openapi.json`, all from {@link adminOperations}. Mount behind {@link adminAuth}.
 * Creates answer 201 with the object, lists `{ items, nextCursor }`.
 */
export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(json({ limit: '1mb' }));
  const operations = adminOperations(deps);
  for (const operation of operations) router[operation.method](operation.path, route(operation));
  const methodsOf = allowedMethods(operations);
  router.use((req, _res, next) => {
    const allowed = methodsOf(req.path);
    next(allowed ? new MethodNotAllowedError(`${req.method} is not an operation of ${req.path}`, allowed) : new NotFoundError('no such admin route'));
  });
  return router;
}

/** For a path the API has: the methods it takes there (HEAD with GET); null for a path it does not have. */
function allowedMethods(operations: AdminOperation[]): (path: string) => string[] | null {
  const routes = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const operation of operations) {
    const entry = routes.get(operation.path) ?? { pattern: new RegExp(`^${operation.path.replace(/:\w+/g, '[^/]+')}/?$`), methods: new Set<string>() };
    entry.methods.add(operation.method.toUpperCase());
    if (operation.method === 'get') entry.methods.add('HEAD');
    routes.set(operation.path, entry);
  }
  return (path) => {
    for (const { pattern, methods } of routes.values()) if (pattern.test(path)) return [...methods].sort();
    return null;
  };
}
