import winston from 'winston';

export type Logger = winston.Logger;

/**
 * The root logger of one service: winston, JSON lines on stdout with a timestamp and the service name.
 * Modules take a child (`logger.child({ module: 'ingress' })`) and log a message plus a metadata object
 * (`{ requestId, processId, urlId, durationMs }`).
 */
export function createLogger(options: { level?: string; service: string; silent?: boolean }): Logger {
  return winston.createLogger({
    level: options.level ?? 'info',
    silent: options.silent ?? false,
    defaultMeta: { service: options.service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}
