import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../test-support/harness';

/**
 * A property-based run of the admin API against its own OpenAPI document (Schemathesis, from PyPI,
 * installed by .ci/run): bounded (30 examples per operation, a fixed seed) and offline. It fails on a
 * 5xx, an answer that breaks the document, an undocumented status, a schema-violating request accepted
 * (PATCH with no body), or an undeclared method not answered 405.
 */
const ST = process.env.SCHEMATHESIS_BIN ?? join(homedir(), '.cache', 'webrequests', 'schemathesis', 'bin', 'st');
const CONFIG = join(__dirname, '..', '..', '..', 'test', 'schemathesis', 'schemathesis.toml');
const missing = existsSync(ST) ? null : `Schemathesis is not installed at ${ST} (.ci/run installs it with pip; or set SCHEMATHESIS_BIN)`;
if (missing) process.stdout.write(`SKIPPED admin API property run: ${missing}\n`);

(missing ? describe.skip : describe)('the admin API under a property-based run of its OpenAPI document', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ workers: 1 });
  });
  afterAll(() => stack?.stop());

  it('answers no 5xx, nothing outside its document, and refuses what the document does not allow', () => {
    const run = spawnSync(
      ST,
      ['--config-file', CONFIG, 'run', `${stack.ingresses[0]}/api/admin/openapi.json`, '-H', `Authorization: Bearer ${stack.token}`,
        '--checks', 'all', '--exclude-checks', 'positive_data_acceptance', '-n', '30', '--seed', '1', '--no-color'],
      { encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
    );
    // Its report can hold megabytes of generated input: only the named failures and the summary.
    const lines = `${run.stdout}\n${run.stderr}`.split('\n').map((line) => line.slice(0, 300));
    const summary = lines.filter((line) => /^_{3,} .* _{3,}$|^- ST\d+|Invalid component|Received:|Documented:|❌|generated/.test(line));
    expect({ status: run.status, summary }).toEqual({ status: 0, summary: expect.not.arrayContaining([expect.stringMatching(/^- ST/)]) });
  }, 300_000);
});
