import { PROCESS_ERROR_CODES, PROCESS_ERROR_STATUS, type ProcessError } from '@webrequests/contracts';
import { fromProcessError } from '../src/error-handler';

describe('a process error reaches its sync caller with its own code and status', () => {
  it.each([
    ['scenario_failed', 500],
    ['sandbox_crashed', 500],
    ['internal_error', 500],
    ['aborted', 503],
    ['worker_lost', 503],
    ['job_lost', 503],
    ['unavailable', 503],
    ['timeout', 504],
  ] as const)('%s answers %i with code %s', (code, status) => {
    const answer = fromProcessError({ code, message: `m-${code}` });
    expect({ code: answer.code, status: answer.status, message: answer.message }).toEqual({ code, status, message: `m-${code}` });
  });

  it('covers every code of the union, each in the table', () => {
    expect(Object.keys(PROCESS_ERROR_STATUS).sort()).toEqual([...PROCESS_ERROR_CODES].sort());
  });

  it('turns a code this build does not know into internal_error 500, not a crash', () => {
    const answer = fromProcessError({ code: 'from_a_newer_worker', message: 'x' } as unknown as ProcessError);
    expect([answer.code, answer.status]).toEqual(['internal_error', 500]);
  });
});
