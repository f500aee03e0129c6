import { watch, type FSWatcher } from 'node:fs';
import { applyCatalog } from '@webrequests/catalog';
import { checkSyntax } from '@webrequests/scenario-syntax';
import type { Store } from '@webrequests/store';
import { changedCatalog, reportLines } from './catalog-cli';

/** Changes closer together than this are applied once (an editor writes a file in several steps; milliseconds). */
const SETTLE_MS = 150;

/** What the watcher prints: a line for each applied change, or the error with its file and line. */
export interface WatchOutput {
  info(line: string): void;
  error(line: string): void;
}

/**
 * `npm run dev`: applies the catalog folder to the store at every change of its files, as
 * `catalog apply` would, and prints what changed (not what stayed the same), or the error naming the
 * file and line: a broken file changes nothing, and the last good version keeps serving. Applies run
 * one at a time; a change during an apply is applied after it. `announce` tells the running services
 * (a `catalog-changed` control message), which keep scenarios and endpoints in memory.
 */
export function watchCatalog(store: Store, dir: string, output: WatchOutput, announce: () => Promise<unknown> = async () => undefined): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;

  const apply = async (): Promise<void> => {
    try {
      const report = await applyCatalog(store, dir, checkSyntax);
      const changed = report.filter((line) => line.action !== 'unchanged' && line.action !== 'set');
      if (changed.length === 0) return;
      // The services keep the catalog in memory: tell them before saying it is applied, so the next
      // request runs the change.
      if (changedCatalog(changed)) await announce();
      const lines = reportLines(changed);
      for (const line of lines.slice(0, -1)) output.info(`catalog:${line}`);
    } catch (error) {
      output.error(`catalog: ${error instanceof Error ? error.message : String(error)} (nothing was applied; fix it and save again)`);
    }
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) {
        again = true;
        return;
      }
      running = apply().finally(() => {
        running = null;
        if (again) {
          again = false;
          schedule();
        }
      });
    }, SETTLE_MS);
  };
  const watcher: FSWatcher = watch(dir, { recursive: true }, schedule);
  watcher.on('error', (error) => output.error(`catalog: watching ${dir} failed (${error.message}); restart npm run dev`));
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
