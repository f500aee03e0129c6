import type { Readable } from 'node:stream';

/**
 * Keeps the last `limit` characters a child printed on the given streams. Reading the streams also
 * keeps the child from blocking on a full pipe, so collect for as long as the child lives.
 */
export class OutputTail {
  private text = '';

  constructor(private readonly limit = 2000) {}

  collect(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      this.text = (this.text + chunk).slice(-this.limit);
    });
  }

  /** The kept output, trimmed; `(no output)` when the child printed nothing. */
  toString(): string {
    return this.text.trim() || '(no output)';
  }
}
