import { connect } from 'node:net';

/**
 * Sends one inline `PING` to a Redis at `host:port` and resolves true only if it answers `+PONG`
 * within `timeoutMs`. Never rejects: a refused connection, an error reply (`-LOADING`) or a timeout
 * all mean "not ready yet", which is what a caller waiting for a fresh server needs to know.
 */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect({ port, host });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.once('close', () => finish(false));
  });
}
