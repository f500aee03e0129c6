import { loadServiceConfig } from '@webrequests/config';
import { problemsOf } from '../test-support/problems';

const base = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('REDIS_CONNECT_TIMEOUT_MS', () => {
  it('takes milliseconds, and refuses what is not a sensible wait', () => {
    expect(loadServiceConfig({ ...base, REDIS_CONNECT_TIMEOUT_MS: '2500' }).redis.connectTimeoutMs).toBe(2500);
    expect(() => loadServiceConfig({ ...base, REDIS_CONNECT_TIMEOUT_MS: '0' })).toThrow(/REDIS_CONNECT_TIMEOUT_MS/);
    expect(() => loadServiceConfig({ ...base, REDIS_CONNECT_TIMEOUT_MS: 'soon' })).toThrow(/REDIS_CONNECT_TIMEOUT_MS/);
  });
});

describe('Redis Cluster settings', () => {
  it('defaults to one Redis server and the hash-tagged prefix {wr}', () => {
    expect(loadServiceConfig(base).redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: '{wr}', cluster: false, connectTimeoutMs: 30_000 });
  });

  it('takes comma-separated seed nodes with REDIS_CLUSTER=true', () => {
    const config = loadServiceConfig({ REDIS_URL: 'redis://a:7000,rediss://user:pw@b:7001', REDIS_CLUSTER: 'true' });
    expect(config.redis).toEqual({ url: 'redis://a:7000,rediss://user:pw@b:7001', prefix: '{wr}', cluster: true, connectTimeoutMs: 30_000 });
  });

  it('refuses several nodes without REDIS_CLUSTER, naming REDIS_URL', () => {
    expect(problemsOf({ REDIS_URL: 'redis://a:7000,redis://b:7001' })).toEqual([expect.stringMatching(/^REDIS_URL: .*REDIS_CLUSTER=true/)]);
  });

  it('refuses a seed that is not a redis:// URL, and a REDIS_CLUSTER that is not a boolean, in one error', () => {
    const problems = problemsOf({ REDIS_URL: 'redis://a:7000,http://b:7001', REDIS_CLUSTER: 'maybe' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^REDIS_URL: /), expect.stringMatching(/^REDIS_CLUSTER: /)]));
  });

  it('refuses a queue prefix without a hash tag on a cluster, where BullMQ would fail with CROSSSLOT', () => {
    expect(problemsOf({ ...base, REDIS_CLUSTER: 'true', QUEUE_PREFIX: 'wr' })).toEqual([expect.stringMatching(/^QUEUE_PREFIX: .*hash tag/)]);
    expect(problemsOf({ ...base, REDIS_CLUSTER: 'false', QUEUE_PREFIX: 'wr' })).toEqual([]);
  });
});

describe('job lock and stalled check settings', () => {
  it('default to BullMQ’s 30 s and take milliseconds', () => {
    expect(loadServiceConfig(base).worker).toMatchObject({ lockDurationMs: 30_000, stalledIntervalMs: 30_000 });
    expect(loadServiceConfig({ ...base, JOB_LOCK_MS: '3000', STALLED_INTERVAL_MS: '1000' }).worker).toMatchObject({
      lockDurationMs: 3000,
      stalledIntervalMs: 1000,
    });
  });

  it('refuses values too small to renew a lock in time, naming both', () => {
    const problems = problemsOf({ ...base, JOB_LOCK_MS: '10', STALLED_INTERVAL_MS: 'soon' });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^JOB_LOCK_MS: /), expect.stringMatching(/^STALLED_INTERVAL_MS: /)]));
  });
});
