import { PassThrough } from 'node:stream';
import { createLogger } from '@webrequests/logger';

function capture(level = 'info') {
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const logger = createLogger({ service: 'test', level, destination: output });
  return { logger, lines: () => written.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes an Error in the metadata with its message, name, code and stack, not as {}', () => {
    const { logger, lines } = capture();
    const cause = new Error('socket closed');
    const error = Object.assign(new TypeError('store write failed', { cause }), { code: 'E_STORE' });
    logger.error('unexpected error', { requestId: 'r-1', error });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'error', message: 'unexpected error', service: 'test', requestId: 'r-1' });
    expect(line!.error).toMatchObject({ name: 'TypeError', message: 'store write failed', code: 'E_STORE', cause: { message: 'socket closed' } });
    expect((line!.error as { stack: string }).stack).toMatch(/^TypeError: store write failed\n\s+at /);
  });

  it('writes an error from another realm (a vm context) the same way', () => {
    const { logger, lines } = capture();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const foreign = (require('node:vm') as typeof import('node:vm')).runInNewContext('new RangeError("out of range")') as Error;
    expect(foreign instanceof Error).toBe(false);
    logger.warn('thread error', { error: foreign });
    expect(lines()[0]!.error).toMatchObject({ name: 'RangeError', message: 'out of range', stack: expect.stringContaining('RangeError') });
  });

  it('keeps plain metadata as it is, and honours the level', () => {
    const { logger, lines } = capture('info');
    logger.debug('not written');
    logger.info('written', { processId: 'p-1', nested: { a: 1 } });
    expect(lines()).toEqual([expect.objectContaining({ message: 'written', processId: 'p-1', nested: { a: 1 } })]);
  });
});
