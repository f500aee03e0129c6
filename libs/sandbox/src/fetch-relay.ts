import type { FetchAnswer, OutboundFetch, OutboundRequest } from './outbound-fetch';
import { ScenarioFetchError } from './scenario-fetch-error';
import type { ThreadToHost } from './thread-protocol';

/** What a relay sends: a fetch to carry out, or the abort of one (the same shape to a thread's host and to the worker). */
export type FetchRelayMessage = Extract<ThreadToHost, { kind: 'fetch' | 'fetch-abort' }>;

interface Waiting {
  resolve: (answer: FetchAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * A `fetch` that relays each call to whoever holds the allow-list and the network, and hands the
 * answer back: a sandbox thread's to its host, a sandbox process's to the worker. Neither opens a
 * connection itself, so a sandbox process can run without network access.
 */
export class FetchRelay implements OutboundFetch {
  readonly enabled = true;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  /** The run whose fetches go out now, for a relay that runs one at a time (a thread); a `runTag` wins. */
  runId = 0;

  constructor(private readonly post: (message: FetchRelayMessage) => void) {}

  fetch(request: OutboundRequest, signal: AbortSignal, runTag?: number): Promise<FetchAnswer> {
    const fetchId = ++this.nextId;
    const runId = runTag ?? this.runId;
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
