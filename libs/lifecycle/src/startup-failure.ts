/** A start-up failure whose message is already the one line a person needs (what, and what to do). */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * The one line a person gets when a service cannot start. Errors made for people (a bad
 * configuration, an unreachable Redis, a port in use, a store that cannot be opened) say what to do
 * themselves and are printed as they are; anything else is prefixed with the service's name. Never a
 * stack trace: a start-up failure is a setting to fix, not a bug report.
 */
export function startupFailureLine(service: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const selfExplaining = error instanceof Error && SELF_EXPLAINING.has(error.name);
  return selfExplaining ? message : `${service} could not start: ${message}`;
}

/** Error names whose message is already the whole story (their classes live in the libs that throw them). */
const SELF_EXPLAINING = new Set(['StartupError', 'ConfigError', 'RedisUnreachableError', 'PortUnavailableError']);

/** Prints {@link startupFailureLine} on stderr and exits with code 1. For a service's `main().catch`. */
export function exitOnStartupFailure(service: string, error: unknown): never {
  process.stderr.write(`${startupFailureLine(service, error)}\n`);
  process.exit(1);
}
