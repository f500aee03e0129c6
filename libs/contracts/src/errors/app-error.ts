/**
 * Base of every error the services answer with on purpose. `code` is the stable API error code of
 * SPEC §3/§5, `status` the HTTP status; `cause` keeps the underlying error for the logs, never for the caller.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra headers the answer must carry (e.g. `Retry-After`). */
  readonly headers: Record<string, string> = {};
  /** Extra fields of the JSON error object (e.g. the offending `field`). */
  readonly details: Record<string, unknown> = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
