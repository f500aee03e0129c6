import type { Logger } from '@webrequests/logger';
import type { Store } from '@webrequests/store';

const HOUR = 3_600_000;

/**
 * Deletes process records older than `retentionDays`, at start and every hour. Every worker does it;
 * the deletes are idempotent, so several workers pruning at once only repeat a cheap query.
 */
export function startRetention(store: Store, retentionDays: number, logger: Logger): { stop: () => void } {
  const prune = (): void => {
    const before = new Date(Date.now() - retentionDays * 24 * HOUR);
    store.pruneProcesses(before).then(
      (count) => count > 0 && logger.info('expired process records pruned', { count, before: before.toISOString() }),
      (error: unknown) => logger.warn('pruning process records failed', { error: String(error) }),
    );
  };
  prune();
  const timer = setInterval(prune, HOUR).unref();
  return { stop: () => clearInterval(timer) };
}
