/** One step of a shutdown, in the order given. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

export interface ShutdownOptions {
  /** Hard limit for all steps together (milliseconds); past it the process exits anyway. */
  timeoutMs: number;
  log: (message: string, meta?: Record<string, unknown>) => void;
  /** Called with the exit code at the end; default `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * Runs `steps` in order once, on the first SIGTERM or SIGINT, each in its own try/catch so one failing
 * step does not keep the others from running, under a hard time limit. A second signal does not cut the
 * shutdown short (it is logged: a supervisor that repeats its SIGTERM must not lose requests); a third
 * exits at once, for the operator who really means it. Answers the function that starts the shutdown,
 * for callers that stop for other reasons.
 */
export function handleShutdown(steps: ShutdownStep[], options: ShutdownOptions): (reason: string) => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    started ??= (async () => {
      options.log('shutting down', { reason, timeoutMs: options.timeoutMs });
      const timer = setTimeout(() => {
        options.log('shutdown took too long; exiting', { timeoutMs: options.timeoutMs });
        exit(1);
      }, options.timeoutMs);
      timer.unref();
      let code = 0;
      for (const step of steps) {
        try {
          await step.run();
        } catch (error) {
          code = 1;
          options.log(`shutdown step failed: ${step.name}`, { error: String(error) });
        }
      }
      clearTimeout(timer);
      options.log('stopped', { code });
      exit(code);
    })();
    return started;
  };
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      void shutdown(signal);
    } else if (signals === 2) {
      options.log('signal received during the shutdown: it goes on (a third signal exits at once)', { signal });
    } else {
      options.log('third signal: exiting without finishing the shutdown', { signal });
      exit(1);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return shutdown;
}
