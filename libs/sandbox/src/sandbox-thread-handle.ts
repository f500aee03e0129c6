import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ThreadSettings, ThreadToHost, HostToThread } from './thread-protocol';

const THREAD_FILE = path.join(__dirname, 'sandbox-thread.js');

/** How a thread ended, as the pool tells it: by its own failure, or killed by the host. */
export type ThreadEnd = { kind: 'killed'; reason: string } | { kind: 'failed'; error: Error } | { kind: 'exited'; code: number };

function youngGenerationMb(memoryMb: number): number {
  // Small: a big young generation lets garbage pile up far past the old-generation cap before it counts.
  return Math.max(1, Math.min(16, Math.floor(memoryMb / 8)));
}

/**
 * One sandbox worker thread, with a heap cap and no environment. Tells `onMessage` what the thread
 * sends and `onEnd` once, however it ends (its own failure, an exit, or {@link kill}).
 */
export class SandboxThreadHandle {
  private readonly worker: Worker;
  private ended = false;

  constructor(
    settings: ThreadSettings,
    private readonly onMessage: (message: ThreadToHost) => void,
    private readonly onEnd: (end: ThreadEnd) => void,
  ) {
    this.worker = new Worker(THREAD_FILE, {
      workerData: settings,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb, maxYoungGenerationSizeMb: youngGenerationMb(settings.memoryMb) },
      // Nothing in a thread needs the environment; an escaped scenario would find no secrets in it.
      env: {},
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (message: ThreadToHost) => {
      if (!this.ended) this.onMessage(message);
    });
    // A message that cannot be deserialized (an answer nested too deep) is the run's failure.
    this.worker.on('messageerror', (error: Error) => this.end({ kind: 'failed', error }));
    this.worker.on('error', (error: Error) => this.end({ kind: 'failed', error }));
    this.worker.on('exit', (code: number) => this.end({ kind: 'exited', code }));
  }

  send(message: HostToThread): void {
    if (!this.ended) this.worker.postMessage(message);
  }

  /** Terminates the thread wherever it is (an endless loop, a pending promise); `reason` reaches `onEnd`. */
  kill(reason: string): void {
    if (this.ended) return;
    this.end({ kind: 'killed', reason });
  }

  get alive(): boolean {
    return !this.ended;
  }

  private end(end: ThreadEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.removeAllListeners('message');
    // Errors of a thread that is going away are nobody's to hear.
    this.worker.on('error', () => undefined);
    void this.worker.terminate().catch(() => undefined);
    this.onEnd(end);
  }
}
