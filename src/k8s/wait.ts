// Event-driven waits: watchers call notify() on every change, waiters re-check their
// condition then. Each wait is bounded and honours Ctrl-C.
import { CliError, InterruptedError } from '../errors.ts';
import { formatDuration } from '../lab/duration.ts';

export interface WaitOptions {
  timeoutMs: number;
  interrupt: AbortSignal;
  /** What is awaited, for the timeout message: "pod nginx-sts-1 to be Ready" (a function to add the latest state). */
  what: string | (() => string);
  /** A watch that gave up rejects this; the wait then fails with its reason. */
  failed?: Promise<never> | undefined;
}

export class Changes {
  private listeners = new Set<() => void>();

  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Calls cb on every change until the returned function is called. */
  subscribe(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Resolves once cond() is true; a cond() that throws ends the wait with that error. */
  until(cond: () => boolean, o: WaitOptions): Promise<void> {
    try {
      if (cond()) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    if (o.interrupt.aborted) return Promise.reject(new InterruptedError());
    return new Promise<void>((resolve, reject) => {
      const finish = (err?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        o.interrupt.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        try {
          if (cond()) finish();
        } catch (err) {
          finish(err as Error);
        }
      };
      const onAbort = () => finish(new InterruptedError());
      const timer = setTimeout(
        () =>
          finish(
            new CliError(
              `timed out after ${formatDuration(o.timeoutMs)} waiting for ${typeof o.what === 'function' ? o.what() : o.what}`,
            ),
          ),
        o.timeoutMs,
      );
      this.listeners.add(check);
      o.interrupt.addEventListener('abort', onAbort, { once: true });
      o.failed?.catch((err: Error) => finish(err));
    });
  }
}
