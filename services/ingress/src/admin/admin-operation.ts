import type { Response } from 'express';
import type { z } from 'zod';

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler gets: the `:id` path parameter (or '') and the query and body its schemas parsed. */
export interface OperationInput<Q, B> {
  id: string;
  query: Output<Q>;
  body: Output<B>;
  /** The answer being written: for an operation that waits on a run and must notice a caller hanging up. */
  res: Response;
}

/** A handler's answer with another status than the operation's usual one (a PUT that created: 201). */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/**
 * One operation of the admin API: its route, the schemas that validate its input, what it answers and
 * its handler. The router registers exactly these and the OpenAPI document describes exactly these, so
 * the two cannot drift apart.
 */
export interface AdminOperation<Q extends z.ZodObject | undefined = z.ZodObject | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path relative to `/api/admin`, e.g. `/scenarios/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'scenarios' | 'webrequests' | 'secrets' | 'processes' | 'meta';
  query?: Q;
  body?: B;
  /** The form of a path parameter, for the OpenAPI document (default: any string). */
  params?: Record<string, z.ZodType>;
  /** The success answer; a 204 has no schema. */
  success: {
    status: 200 | 201 | 204;
    description: string;
    schema?: z.ZodType;
    /** Another success status the handler may answer with an {@link Answer}, with the same schema. */
    also?: { status: 200 | 201; description: string };
  };
  /** Error statuses the operation answers besides 401 (every operation) and 400 (any with input). */
  errors?: Array<404 | 409>;
  /** Answers the JSON of the success answer (ignored for a 204). Throws `AppError`s for the others. */
  handle(input: OperationInput<Q, B>): Promise<unknown>;
}

/** Types a handler's input from its schemas; the result goes into the untyped list the router walks. */
export function defineOperation<Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  operation: AdminOperation<Q, B>,
): AdminOperation {
  return operation as unknown as AdminOperation;
}
