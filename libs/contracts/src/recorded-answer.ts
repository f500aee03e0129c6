import { isTruncated } from './cap-json';
import type { ProcessRecord } from './catalog';
import type { ResultMessage } from './messages';
import { toResponseSpec } from './response-spec';

/** The answer a finished process gave its caller, as its record rebuilds it: a result message that carries it whole. */
export type RecordedAnswer = Exclude<ResultMessage, { kind: 'stored' }>;

/**
 * The answer a finished process gave, rebuilt from its record (a binary `$body` was kept as base64);
 * null when the record cannot rebuild it: the output was larger than the record keeps whole.
 */
export function answerOfRecord(record: ProcessRecord): RecordedAnswer | null {
  if (record.status !== 'completed') {
    return { kind: 'error', processId: record.id, error: record.error ?? { code: 'internal_error', message: 'the process ended without an error' } };
  }
  const output = record.output as Record<string, unknown> | null;
  if (isTruncated(output)) return null;
  const body = output?.$body as { type?: unknown; base64?: unknown } | undefined;
  const restored = body && body.type === 'Buffer' && typeof body.base64 === 'string' ? { ...output, $body: Buffer.from(body.base64, 'base64') } : output;
  return { kind: 'response', processId: record.id, response: toResponseSpec(restored ?? {}) };
}
