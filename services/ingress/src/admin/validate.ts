import type { z } from 'zod';
import { ValidationError } from '@webrequests/contracts';

/** Parses `input` with `schema`, or throws a {@link ValidationError} naming the first offending field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '(body)');
  throw new ValidationError(`${field}: ${issue.message}`, field);
}
