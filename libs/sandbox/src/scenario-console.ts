import type { LogEntry } from '@webrequests/contracts';
import type { LogCollector } from './log-collector';

/**
 * The host side of a scenario's `console.log/info/warn/error` (the sandbox side is made by the
 * prelude). `run` is the token of the run whose console made the call, or {@link ANY_RUN}.
 */
export type ConsoleWrite = (run: number, level: string, ...args: unknown[]) => void;

/** The token of the VM's global `console` (the one code made with `Function` sees): it writes into the run in progress. */
export const ANY_RUN = 0;

const LEVELS: ReadonlySet<string> = new Set<LogEntry['level']>(['log', 'info', 'warn', 'error']);

/**
 * A console write into the collector `logsOf(run)` answers: the run's own while it is in progress,
 * null (the line is dropped) for a run that is over. Nothing reaches stdout.
 */
export function consoleWrite(logsOf: (run: number) => LogCollector | null): ConsoleWrite {
  return (run, level, ...args) => {
    if (LEVELS.has(level)) logsOf(run)?.add(level as LogEntry['level'], args);
  };
}
