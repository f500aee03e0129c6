import type { RequestHandler, Router } from 'express';
import type { WebrequestQueue } from '@webrequests/queue';

/** Where the Bull dashboard is served. */
export const DASHBOARD_PATH = '/admin/queues';

/**
 * The Bull dashboard (bull-board) over the webrequest queue, to mount at {@link DASHBOARD_PATH} behind
 * the admin credentials. Read-only: a job's record is the process record, so retrying or adding jobs
 * by hand would only produce runs the processes catalog skips or cannot explain. bull-board is loaded
 * at the first request for the dashboard: an ingress nobody opens it on does not hold its modules.
 */
export function dashboardRouter(queue: WebrequestQueue['queue']): RequestHandler {
  let router: Router | null = null;
  return (req, res, next) => {
    router ??= buildDashboard(queue);
    router(req, res, next);
  };
}

function buildDashboard(queue: WebrequestQueue['queue']): Router {
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
  const { ExpressAdapter } = require('@bull-board/express') as typeof import('@bull-board/express');
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [
      new BullMQAdapter(queue, {
        readOnlyMode: true,
        allowRetries: false,
        description: 'One job per webrequest; the job id is the process id. Failed jobs are failed or aborted processes.',
      }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'webrequests' } },
  });
  // bull-board's adapter is an Express app of its own: it would announce itself on every page.
  const built = serverAdapter.getRouter() as Router & { disable?: (setting: string) => unknown };
  built.disable?.('x-powered-by');
  return built;
}
