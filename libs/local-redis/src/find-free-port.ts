import { createServer } from 'node:net';

/**
 * Asks the kernel for a TCP port that is free on the loopback interface right now.
 *
 * The port is released before this resolves, so another process may take it before the caller binds
 * it: callers that start a server on it should be ready to retry with a fresh port.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('The kernel gave no port'))));
    });
  });
}
