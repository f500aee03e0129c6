// Jest global setup: runs once, in jest's own process, after `npm run build` (pretest), before any test.
// Workers are forked after this, so the variables set here reach every test file.
const { obtainRedis } = require('@webrequests/local-redis');

/** Where teardown finds the handle: global setup and teardown share jest's process and globalThis. */
const HANDLE = Symbol.for('webrequests.test-redis');

module.exports = async () => {
  const redis = await obtainRedis({ url: process.env.REDIS_URL, log: (line) => console.log(`[test redis] ${line}`) });
  globalThis[HANDLE] = redis;
  process.env.TEST_REDIS_URL = redis.url;
  console.log(
    redis.started
      ? `\nTests use a private redis-server at ${redis.url}, started for this run.`
      : `\nTests use the Redis at REDIS_URL=${redis.url}.`,
  );
  announceMongo(process.env.MONGO_URL);
};

// Said loudly because a green run without MONGO_URL has not exercised the MongoDB store.
function announceMongo(mongoUrl) {
  const line = mongoUrl
    ? `MongoDB tests will run against ${mongoUrl}`
    : 'MONGO_URL is not set: MongoDB tests are SKIPPED';
  const bar = '='.repeat(line.length);
  console.log(`${bar}\n${line}\n${bar}`);
}
