import { formatWithOptions, types, type InspectOptions } from 'node:util';
import type { LogEntry } from '@webrequests/contracts';
import { errorLogText } from './describe-thrown';
import { inspectableCopy } from './inspectable-copy';

type Level = LogEntry['level'];

/**
 * `customInspect: false`: a scenario object's `[inspect.custom]` would otherwise be called with host
 * functions as arguments. The other limits keep one huge object from costing more than it may log.
 */
const INSPECT: InspectOptions = { customInspect: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: Infinity };

/**
 * An error as its scenario stack (`Error: e` and `    at handler (line 4, column 12)` lines): util's own
 * rendering of a sandbox error shows vm2's placeholder frames, and of a host error, host paths.
 */
function loggable(arg: unknown): unknown {
  return arg instanceof Error || types.isNativeError(arg) ? errorLogText(arg) : arg;
}

/** Cuts a string to at most `bytes` bytes of UTF-8. */
function cutToBytes(text: string, bytes: number): string {
  return Buffer.from(text).subarray(0, bytes).toString().replace(/\uFFFD$/, '');
}

/**
 * The `console.*` lines of one run, formatted as `util.format` does (of host copies of what the
 * scenario logged: see inspectableCopy; an error as its scenario stack). Keeps at most `maxEntries` entries
 * and `maxBytes` bytes of messages, then one final `warn` entry saying the logs were truncated. Lines
 * written after {@link close} (by a promise the scenario left behind) are dropped.
 */
export class LogCollector {
  readonly entries: LogEntry[] = [];
  private bytes = 0;
  private full = false;
  private closed = false;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
    private readonly onEntry: (entry: LogEntry) => void = () => undefined,
  ) {}

  add(level: Level, args: readonly unknown[]): void {
    // Checked before formatting, so a scenario looping over console.log costs little once full.
    if (this.full || this.closed) return;
    if (this.entries.length >= this.maxEntries) return this.truncate();
    const message = formatWithOptions(INSPECT, ...args.map((arg) => inspectableCopy(loggable(arg))));
    const size = Buffer.byteLength(message);
    if (this.bytes + size <= this.maxBytes) {
      this.push(level, message, size);
      return;
    }
    const rest = cutToBytes(message, this.maxBytes - this.bytes);
    if (rest) this.push(level, rest, Buffer.byteLength(rest));
    this.truncate();
  }

  /** Stops collecting: the run is over. */
  close(): void {
    this.closed = true;
  }

  private push(level: Level, message: string, size: number): void {
    const entry: LogEntry = { level, message, at: Date.now() };
    this.entries.push(entry);
    this.bytes += size;
    this.onEntry(entry);
  }

  private truncate(): void {
    this.full = true;
    const message = `logs truncated: a run keeps at most ${this.maxEntries} entries and ${this.maxBytes} bytes`;
    const entry: LogEntry = { level: 'warn', message, at: Date.now() };
    this.entries.push(entry);
    this.onEntry(entry);
  }
}
