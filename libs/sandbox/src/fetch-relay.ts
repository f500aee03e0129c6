import type { FetchAnswer, OutboundFetch, OutboundRequest } from './outbound-fetch';
import { ScenarioFetchError } from './scenario-fetch-error';
import type { ThreadToHost } from './thread-protocol';

interface Waiting {
  resolve: (answer: FetchAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * A sandbox thread's `fetch`: relays each call to the host, which holds the allow-list and the network
 * (the worker, or the sandbox process's parent), and hands the answer back. The thread itself never
 * opens a connection, so a sandbox process can run without network access.
 */
export class FetchRelay implements OutboundFetch {
  readonly enabled = true;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** The run whose fetches go out now; the thread runs one at a time. */
  runId = 0;

  constructor(private readonly post: (message: ThreadToHost) => void) {}

  fetch(request: OutboundRequest, signal: AbortSignal): Promise<FetchAnswer> {
    const fetchId = ++this.nextId;
    const runId = this.runId;
    return new Promise<FetchAnswer>((resolve, reject) => {
      if (signal.aborted) return reject(new ScenarioFetchError('fetch aborted: the run ended'));
      this.waiting.set(fetchId, { resolve, reject });
      signal.addEventListener(
        'abort',
        () => {
          if (!this.waiting.delete(fetchId)) return;
          this.post({ kind: 'fetch-abort', runId, fetchId });
          reject(new ScenarioFetchError('fetch aborted: the run ended'));
        },
        { once: true },
      );
      this.post({ kind: 'fetch', runId, fetchId, request });
    });
  }

  /** The host's answer to fetch `fetchId`; a body arrives as a Uint8Array and is made a Buffer again. */
  answered(fetchId: number, answer: FetchAnswer): void {
    const waiting = this.waiting.get(fetchId);
    if (!waiting) return;
    this.waiting.delete(fetchId);
    const body = answer.body as Uint8Array;
    waiting.resolve({ ...answer, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) });
  }

  failed(fetchId: number, message: string): void {
    const waiting = this.waiting.get(fetchId);
    if (!waiting) return;
    this.waiting.delete(fetchId);
    waiting.reject(new ScenarioFetchError(message));
  }
}
