'use strict';

const { WebrequestQueue, createRedisConnection } = require('@webrequests/queue');

const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children'];

/** Reads the webrequest queue's job counts from the bench process (one Redis round trip each). */
async function openQueueProbe(redisUrl, prefix) {
  const connection = createRedisConnection(redisUrl, 'worker');
  const probe = new WebrequestQueue(connection, prefix);
  await probe.queue.waitUntilReady();
  return {
    /** Jobs not yet finished: waiting, active, delayed… */
    async pending() {
      const counts = await probe.queue.getJobCounts(...PENDING_STATES);
      return PENDING_STATES.reduce((sum, state) => sum + (counts[state] ?? 0), 0);
    },
    /** `redis_version` from INFO. */
    async redisVersion() {
      const info = await connection.info('server');
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    },
    async close() {
      await probe.close();
      await connection.quit();
    },
  };
}

module.exports = { openQueueProbe };
