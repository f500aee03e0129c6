'use strict';

const { Redis } = require('ioredis');

/**
 * Calls per command from the text of `INFO commandstats` (`cmdstat_get:calls=12,usec=…`), e.g.
 * `{ get: 12, evalsha: 40 }`, leaving out `info` (the bench's own readings). A Lua script is one
 * `evalsha` (or `eval`) call, whatever it runs inside.
 */
function parseCommandStats(text) {
  const calls = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info') calls[match[1]] = Number(match[2]);
  }
  return calls;
}

/** A plain connection to the bench's Redis that reads the server's calls per command. */
async function openRedisStats(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    /** Calls per command since the server started (`INFO commandstats`), `info` left out. */
    async commandCalls() {
      return parseCommandStats(await redis.info('commandstats'));
    },
    async close() {
      await redis.quit();
    },
  };
}

module.exports = { openRedisStats };
