/** What a value too large for a process record is replaced by. */
export interface TruncatedValue {
  truncated: true;
  /** Size of the whole value's JSON (bytes). */
  bytes: number;
  /** The first `limit` characters of its JSON. */
  preview: string;
}

/**
 * Keeps `value` when its JSON is at most `limit` bytes, else replaces it by a {@link TruncatedValue},
 * so that one huge body or log cannot bloat the processes catalog (`PROCESS_RESULT_LIMIT`).
 */
export function capJson(value: unknown, limit: number): unknown {
  const json = JSON.stringify(value);
  if (json === undefined) return null;
  const bytes = Buffer.byteLength(json);
  if (bytes <= limit) return value;
  return { truncated: true, bytes, preview: json.slice(0, limit) } satisfies TruncatedValue;
}
