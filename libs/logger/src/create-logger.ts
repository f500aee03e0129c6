import winston from 'winston';

export type Logger = winston.Logger;

/** An `Error` as JSON can carry it: `JSON.stringify(error)` is `{}`, which says nothing. */
export function serializeError(error: Error): Record<string, unknown> {
  const { code, cause } = error as Error & { code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(code !== undefined ? { code } : {}),
    stack: error.stack,
    ...(cause instanceof Error ? { cause: serializeError(cause) } : {}),
  };
}

/** An `Error`, also one from another realm (a worker thread, a `vm` context), where `instanceof` fails. */
function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  const candidate = value as { message?: unknown; stack?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}

/** Turns every `Error` among a log entry's metadata values into {@link serializeError}'s plain object. */
const errorsInMetadata = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (isError(value)) info[key] = serializeError(value);
  }
  return info;
});

/**
 * The root logger of one service: winston, JSON lines on stdout with a timestamp and the service name.
 * Modules take a child (`logger.child({ module: 'ingress' })`) and log a message plus a metadata object
 * (`{ requestId, processId, urlId, durationMs }`).
 */
export function createLogger(options: { level?: string; service: string; silent?: boolean; destination?: NodeJS.WritableStream }): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    defaultMeta: { service: options.service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), errorsInMetadata(), winston.format.json()),
    // `destination` is for tests; services log to stdout, which their supervisor collects.
    transports: [options.destination ? new winston.transports.Stream({ stream: options.destination }) : new winston.transports.Console()],
  });
}
