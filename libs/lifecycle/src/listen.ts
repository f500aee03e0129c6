import type { Server } from 'node:net';

/** The port a listener wanted is taken, or may not be bound; the message says which setting to change. */
export class PortUnavailableError extends Error {
  constructor(port: number, host: string, variable: string, code: string | undefined) {
    const what = code === 'EACCES' ? 'may not be bound by this user' : 'is already in use';
    super(`port ${port} on ${host} ${what}: stop what holds it, or set ${variable} to a free port`);
    this.name = 'PortUnavailableError';
  }
}

/**
 * Starts `server` listening and resolves with the port it got (useful for port 0). A port in use or
 * not allowed rejects with a {@link PortUnavailableError} naming the environment variable that set it.
 */
export function listen(server: Server, port: number, host: string, variable: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortUnavailableError(port, host, variable, error.code) : error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
