import type { LogCollector } from './log-collector';

/** Where a VM's console writes: set to the run's collector when the run starts (the VM is made earlier). */
export interface ConsoleTarget {
  logs: LogCollector | null;
}

/** The `console` a scenario sees: its four methods write into the run's logs, nothing reaches stdout. */
export function createScenarioConsole(target: ConsoleTarget): Record<'log' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
  return {
    log: (...args) => target.logs?.add('log', args),
    info: (...args) => target.logs?.add('info', args),
    warn: (...args) => target.logs?.add('warn', args),
    error: (...args) => target.logs?.add('error', args),
  };
}
