import { randomBytes } from 'node:crypto';
import { loadServiceConfig } from '@webrequests/config';
import { problemsOf } from '../test-support/problems';

const base = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('SECRETS_KEY and SECRETS_KEY_OLD', () => {
  it('take 32 bytes as hex or base64, and are unset by default', () => {
    const hex = randomBytes(32).toString('hex');
    const b64 = randomBytes(32).toString('base64');
    expect(loadServiceConfig(base).secrets).toEqual({ key: undefined, oldKey: undefined });
    expect(loadServiceConfig({ ...base, SECRETS_KEY: hex, SECRETS_KEY_OLD: b64 }).secrets).toEqual({ key: hex, oldKey: b64 });
  });

  it('refuse a key of another length or form, naming the variable and saying the form, and never echo the value', () => {
    const short = randomBytes(16).toString('hex');
    const problems = problemsOf({ ...base, SECRETS_KEY: short, SECRETS_KEY_OLD: 'not a key' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SECRETS_KEY: must be 32 bytes/);
    expect(problems[1]).toMatch(/^SECRETS_KEY_OLD: must be 32 bytes/);
    expect(problems.join('\n')).not.toContain(short);
  });

  it('refuses an old key without a new one', () => {
    expect(problemsOf({ ...base, SECRETS_KEY_OLD: randomBytes(32).toString('hex') })).toEqual(['SECRETS_KEY_OLD: set only beside SECRETS_KEY (the new key)']);
  });
});

describe('METRICS_PORT', () => {
  it('is 9464 by default, 0 for any free port, and refuses what is not a port', () => {
    expect(loadServiceConfig(base).http.metricsPort).toBe(9464);
    expect(loadServiceConfig({ ...base, METRICS_PORT: '0' }).http.metricsPort).toBe(0);
    expect(problemsOf({ ...base, METRICS_PORT: '70000' })[0]).toMatch(/^METRICS_PORT/);
  });
});
