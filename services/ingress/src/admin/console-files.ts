import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';

/** Where the web console is served. */
export const CONSOLE_PATH = '/console';

/**
 * Where `@webrequests/console`'s build puts the files (its `dist`). Found through its package.json, not
 * a module of it: a deployed image holds each workspace's package.json and dist only, and a console
 * not built yet has no dist, which must not stop the ingress from starting.
 */
export function builtConsoleDir(): string {
  return join(dirname(require.resolve('@webrequests/console/package.json')), 'dist');
}

/**
 * The web console's static files (`@webrequests/console`'s `dist`), without authentication: they hold
 * no data; the page asks for the admin token and calls the admin API with it. When the console was not
 * built the ingress still runs, and the console's paths answer 503 saying how to build it.
 */
export function consoleRouter(dir: string): Router {
  const router = Router();
  router.use(express.static(dir, { index: 'index.html', fallthrough: true }));
  router.use((_req, res, next) => {
    // Checked per request, so a build made while the ingress runs is served without a restart.
    if (existsSync(join(dir, 'index.html'))) return next();
    res.status(503).type('text/plain').send('The web console is not built: run `npm run build`.\n');
  });
  return router;
}
