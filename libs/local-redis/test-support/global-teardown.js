// Jest global teardown: stops the Redis that global setup started (a no-op for one given by REDIS_URL).
const HANDLE = Symbol.for('webrequests.test-redis');

module.exports = async () => {
  const redis = globalThis[HANDLE];
  if (!redis) return;
  delete globalThis[HANDLE];
  await redis.stop();
};
