import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Router } from 'express';
import type { WebrequestQueue } from '@webrequests/queue';

/** Where the Bull dashboard is served. */
export const DASHBOARD_PATH = '/admin/queues';

/**
 * The Bull dashboard (bull-board) over the webrequest queue, to mount at {@link DASHBOARD_PATH} behind
 * the admin credentials. Read-only: a job's record is the process record, so retrying or adding jobs
 * by hand would only produce runs the processes catalog skips or cannot explain.
 */
export function dashboardRouter(queue: WebrequestQueue['queue']): Router {
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
  const router = serverAdapter.getRouter() as Router & { disable?: (setting: string) => unknown };
  router.disable?.('x-powered-by');
  return router;
}
