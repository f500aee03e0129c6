import type { LogEntry } from './catalog';

/** What a value too large for a process record is replaced by. */
export interface TruncatedValue {
  truncated: true;
  /** Size of the whole value's JSON (bytes). */
  bytes: number;
  /** The first `limit` characters of its JSON. */
  preview: string;
}

/** Whether a recorded value is a {@link capJson} preview: cut to the limit, not kept whole. */
export function isTruncated(value: unknown): value is TruncatedValue {
  return typeof value === 'object' && value !== null && (value as { truncated?: unknown }).truncated === true;
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

/** Bytes kept free for the marker entry that {@link capLogs} appends. */
const MARKER_ROOM = 256;
/** A log message cut to fit is kept only if at least this much of it fits (characters). */
const MIN_PARTIAL = 64;

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/**
 * Keeps `entries` when their JSON is at most `limit` bytes; otherwise the first entries that fit (the
 * first one that does not is cut short when enough of it fits), then one `warn` entry starting with
 * `[truncated` that says how much was dropped. Unlike {@link capJson}, the result is still a list of
 * log entries, and it shows what the scenario did first.
 */
export function capLogs(entries: readonly LogEntry[], limit: number): LogEntry[] {
  const total = jsonBytes(entries);
  if (total <= limit) return [...entries];
  const kept: LogEntry[] = [];
  let used = 2 + MARKER_ROOM;
  let cut = false;
  for (const entry of entries) {
    const size = jsonBytes(entry) + 1;
    if (used + size <= limit) {
      kept.push(entry);
      used += size;
      continue;
    }
    const room = limit - used - jsonBytes({ ...entry, message: '' }) - 16;
    // JSON escapes can make a character up to 6 bytes: cut by a safe number of characters.
    const chars = Math.floor(room / 6);
    if (chars >= MIN_PARTIAL) {
      kept.push({ ...entry, message: `${entry.message.slice(0, chars)}…` });
      cut = true;
    }
    break;
  }
  const dropped = entries.length - kept.length;
  const at = entries[kept.length]?.at ?? entries.at(-1)?.at ?? Date.now();
  kept.push({
    level: 'warn',
    message:
      `[truncated: the logs were ${total} bytes of JSON, over PROCESS_RESULT_LIMIT (${limit}); ` +
      `${cut ? 'the entry before this one was cut short, and ' : ''}${dropped} more entr${dropped === 1 ? 'y was' : 'ies were'} not kept]`,
    at,
  });
  return kept;
}
