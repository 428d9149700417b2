// A pause between retries (an eviction the budget refused) that Ctrl-C ends at once.
import { InterruptedError } from '../errors.ts';

export function pause(ms: number, interrupt: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (interrupt.aborted) return reject(new InterruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      interrupt.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    interrupt.addEventListener('abort', onAbort, { once: true });
  });
}
