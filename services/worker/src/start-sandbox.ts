import type { Config } from '@webrequests/config';
import { StartupError } from '@webrequests/lifecycle';
import type { Logger } from '@webrequests/logger';
import { createProcessSandbox, createThreadSandbox, type ProcessSandbox, type ThreadSandbox } from '@webrequests/sandbox';

/** How long the sandbox processes may take to start before the worker gives up (milliseconds). */
const SANDBOX_START_TIMEOUT_MS = 30_000;

/**
 * The worker's sandbox: SANDBOX_PROCESSES credential-free sandbox processes (the default), or with
 * SANDBOX_PROCESSES=0 threads of the worker process itself (for measuring what the boundary costs).
 * Logs at start what the sandbox may do; fails the start if its processes do not come up.
 */
export async function startSandbox(config: Config, logger: Logger): Promise<ProcessSandbox | ThreadSandbox> {
  const { worker } = config;
  const common = { memoryMb: worker.sandboxMemoryMb, fetchAllow: worker.fetchAllow, fetchConcurrency: worker.fetchConcurrency, maxAnswerBytes: worker.maxAnswerBytes };
  if (worker.sandboxProcesses === 0) {
    logger.warn('scenarios run in threads of the worker process (SANDBOX_PROCESSES=0), which holds the credentials: use it only to measure', {});
    return createThreadSandbox({ ...common, threads: worker.concurrency, onError: (error) => logger.error('sandbox thread error', { error }) });
  }
  const sandbox = createProcessSandbox({
    ...common,
    processes: worker.sandboxProcesses,
    concurrency: worker.concurrency,
    ...(worker.sandboxUser ? { user: worker.sandboxUser } : {}),
    onEvent: (message, meta) => logger.warn(message, meta),
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StartupError(`the sandbox processes did not start within ${SANDBOX_START_TIMEOUT_MS / 1000} s: see the worker's log for what they wrote`)), SANDBOX_START_TIMEOUT_MS);
  });
  try {
    await Promise.race([sandbox.ready(), late]);
  } catch (error) {
    await sandbox.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  logger.info('sandbox ready', { sandbox: sandbox.description });
  return sandbox;
}
