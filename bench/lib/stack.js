'use strict';

const { dirname, join } = require('node:path');
const { findFreePort } = require('@webrequests/local-redis');

/** Path of a service's compiled `main.js`, through its package (as `services/stack` finds it). */
function serviceMain(pkg) {
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'main.js');
}

/**
 * Starts one worker and one ingress as `npm start` does (services/stack), configured for the bench:
 * PORT=0 on loopback, the given Redis, store, token, log level, worker concurrency and queue prefix;
 * the worker serves /metrics on a free port, and `metricsUrls` names both services' /metrics.
 * `execArgv` (e.g. `--cpu-prof …`, which Node refuses in NODE_OPTIONS) goes to both children; their
 * worker threads inherit it.
 */
async function startStack(children, settings) {
  const env = {
    ...process.env,
    PORT: '0',
    METRICS_PORT: '0',
    SECRETS_KEY: settings.secretsKey,
    HOST: '127.0.0.1',
    REDIS_URL: settings.redisUrl,
    STORE_URL: settings.storeUrl,
    ADMIN_TOKEN: settings.adminToken,
    LOG_LEVEL: settings.logLevel,
    WORKER_CONCURRENCY: String(settings.workerConcurrency),
    QUEUE_PREFIX: settings.queuePrefix,
    SHUTDOWN_DELAY_MS: '0',
    WORKER_HTTP_PORT: String(await findFreePort()),
    ...(settings.sandboxProcesses !== undefined ? { SANDBOX_PROCESSES: String(settings.sandboxProcesses) } : {}),
  };
  const logs = { worker: join(settings.dir, `worker-${settings.logLevel}.log`), ingress: join(settings.dir, `ingress-${settings.logLevel}.log`) };
  // The worker first: both open the SQLite file and apply its schema; one at a time is the calm way.
  const worker = await children.start('worker', serviceMain('@webrequests/worker'), { env, logFile: logs.worker, execArgv: settings.execArgv });
  const ingress = await children.start('ingress', serviceMain('@webrequests/ingress'), { env, logFile: logs.ingress, execArgv: settings.execArgv });
  if (ingress.message.kind !== 'listening') throw new Error(`ingress said ${JSON.stringify(ingress.message)} instead of listening`);
  return {
    baseUrl: `http://127.0.0.1:${ingress.message.port}`,
    pids: { ingress: ingress.child.pid, worker: worker.child.pid },
    metricsUrls: { ingress: `http://127.0.0.1:${ingress.message.metricsPort}/metrics`, worker: `http://127.0.0.1:${worker.message.httpPort}/metrics` },
    logs,
    async stop() {
      // Ingress first, so no new job arrives while the worker drains.
      await children.stop(ingress.child);
      await children.stop(worker.child);
    },
  };
}

module.exports = { startStack };
