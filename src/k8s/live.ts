// A watched list with bounded, Ctrl-C-aware waits on it.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Kube } from './client.ts';
import { watch, type ChangeType, type Watched, type WatchSpec } from './informer.ts';
import { Changes } from './wait.ts';

export class LiveList<T extends KubernetesObject> {
  readonly changes = new Changes();
  private handle!: Watched<T>;
  private readonly kube: Kube;

  private constructor(kube: Kube) {
    this.kube = kube;
  }

  static async start<T extends KubernetesObject>(kube: Kube, spec: WatchSpec<T>, onChange?: (type: ChangeType, obj: T) => void): Promise<LiveList<T>> {
    const l = new LiveList<T>(kube);
    l.handle = await watch<T>(kube, spec, (type, obj) => {
      onChange?.(type, obj);
      l.changes.notify();
    });
    return l;
  }

  objects(): T[] {
    return this.handle.objects();
  }

  until(cond: () => boolean, what: string | (() => string), timeoutMs: number): Promise<void> {
    return this.changes.until(cond, { timeoutMs, interrupt: this.kube.interrupt, what, failed: this.handle.failed });
  }

  stop(): void {
    this.handle.stop();
  }
}
